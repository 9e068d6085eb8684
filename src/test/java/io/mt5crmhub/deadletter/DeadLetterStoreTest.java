package io.mt5crmhub.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.mt5crmhub.component.DeadLetteredEvents;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.pipeline.ExchangeEvents;
import io.mt5crmhub.store.HubDatabase;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.StoreQueries;
import io.mt5crmhub.testsupport.TestDatabases;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The dead-letter step marks the exchange with what it stored, so the mt5: consumer does not count it delivered. */
class DeadLetterStoreTest {

    @AutoClose
    private final HubDatabase database = TestDatabases.h2InMemory(2);
    @AutoClose
    private final DefaultCamelContext context = new DefaultCamelContext();
    private final DeadLetterStore store = new DeadLetterStore(database.dataSource());

    @Test
    void marksTheExchangeWithEachEventItStored() throws Exception {
        Mt5Event first = EventSamples.deposit("s1", 1, 50001, "10.00", "");
        Mt5Event second = EventSamples.deposit("s1", 2, 50001, "20.00", "");
        Exchange batch = new DefaultExchange(context);
        batch.getMessage().setBody(List.of(first, second));
        // a sink that delivered the first and not the second
        ExchangeEvents.setUndelivered(batch, List.of(second));

        store.store(batch);

        assertThat(DeadLetteredEvents.count(batch)).isEqualTo(1);
        assertThat(new StoreQueries(database.dataSource()).count("SELECT COUNT(*) FROM hub_dead_letter")).isEqualTo(1);
    }

    @Test
    void aBodyThatIsNotAnEventCountsAsOne() throws Exception {
        Exchange poison = new DefaultExchange(context);
        poison.getMessage().setBody("{not an event");

        store.store(poison);

        assertThat(DeadLetteredEvents.count(poison)).isEqualTo(1);
    }
}
