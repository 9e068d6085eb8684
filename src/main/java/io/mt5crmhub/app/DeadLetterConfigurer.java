package io.mt5crmhub.app;

import io.mt5crmhub.deadletter.DeadLetterReplayer;
import io.mt5crmhub.deadletter.DeadLetterStore;
import io.mt5crmhub.deadletter.DeadLetters;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.store.ServerLeases;

/**
 * Dead letters: the store the routes' error policies write to, and the replayer the dead-letter-replay route
 * polls ({@code hub.dead-letter.replay-poll-ms}, read by that route).
 */
final class DeadLetterConfigurer {

    private final HubBeans beans;

    DeadLetterConfigurer(HubBeans beans) {
        this.beans = beans;
    }

    DeadLetters configure(HubDatabase database, ServerLeases leases) {
        DeadLetters deadLetters = new DeadLetters(database.dataSource());
        beans.bind("deadLetterStore", new DeadLetterStore(database.dataSource(), leases));
        beans.bind("deadLetters", deadLetters);
        beans.bind("deadLetterReplayer", new DeadLetterReplayer(deadLetters, beans.context()));
        return deadLetters;
    }
}
