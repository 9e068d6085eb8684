package io.mt5crmhub.gateway.nativeapi;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records from the library left out of the event stream, as the Web API gateway leaves out its unclassified ones: a
 * deal, position or user with an MT5 code the hub does not know or an absurd value. A guessed value would book money
 * as something it is not, and failing would stop every later record, so the record is skipped, never silently: one
 * WARN per record (a record read again by a back-fill or snapshot is not reported twice) and a count that health and
 * metrics show. Thread-safe.
 */
final class SkippedRecords {

    private static final Logger LOG = LoggerFactory.getLogger(SkippedRecords.class);
    /** Records already reported; back-fills and snapshots read the same record again and again. */
    private static final int REMEMBERED = 10_000;

    private final String serverId;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final AtomicLong count = new AtomicLong();

    SkippedRecords(String serverId) {
        this.serverId = serverId;
    }

    void skip(String record, long id, MalformedRecordException why) {
        if (reported.size() >= REMEMBERED) {
            reported.clear();
        }
        if (reported.add(record + " " + Long.toUnsignedString(id))) {
            count.incrementAndGet();
            LOG.warn("MT5 server {}: {} {} is left out of the event stream: {} (its money shows as a difference in"
                    + " reconciliation until the hub can read it)", serverId, record, Long.toUnsignedString(id),
                    why.getMessage());
        }
    }

    /** How many different records were left out since the gateway was made. */
    long count() {
        return count.get();
    }
}
