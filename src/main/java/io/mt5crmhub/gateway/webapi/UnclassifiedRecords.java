package io.mt5crmhub.gateway.webapi;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deals and positions the hub cannot classify: well formed, but with an MT5 code (deal action, entry or reason,
 * position action) this hub does not know, as a newer trade server may send. Such a record is left out of the event
 * stream and the rest of the answer goes on.
 * <p>
 * Why not deliver it: the event contract (docs/events.md, {@code DealAction}) has no value for an unknown code, and a
 * guessed one would book the money as something it is not (a trade as a deposit, credit as balance). Why not fail
 * the poll: the record comes back in every poll, so one such deal would stop every later deal for good. So it is
 * skipped, and never silently: one WARN per record naming server, ticket, field and value, and a count
 * ({@link WebApiGateway#skippedRecords()}). Its money is missing from the CRM ledger until the hub knows the
 * code, which reconciliation shows as a difference on that login.
 */
final class UnclassifiedRecords {

    private static final Logger LOG = LoggerFactory.getLogger(UnclassifiedRecords.class);
    /** Records already reported; polls overlap, so the same record is read again and again. */
    private static final int REMEMBERED = 10_000;

    private final String serverId;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final AtomicLong count = new AtomicLong();

    UnclassifiedRecords(String serverId) {
        this.serverId = serverId;
    }

    void skip(WebApiJson.UnknownCodeException e) {
        if (reported.size() >= REMEMBERED) {
            reported.clear();
        }
        if (reported.add(e.record() + " " + e.ticket())) {
            count.incrementAndGet();
            LOG.warn("MT5 server {}: {} {} has {} {}, an MT5 code this hub does not know; the {} is left out of the"
                    + " event stream (its money shows as a difference in reconciliation until the hub knows the code)",
                    serverId, e.record(), e.ticket(), e.field(), e.value(), e.record());
        }
    }

    /** How many different records were left out since the gateway was made. */
    long count() {
        return count.get();
    }
}
