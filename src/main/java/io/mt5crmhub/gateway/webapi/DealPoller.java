package io.mt5crmhub.gateway.webapi;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.mt5crmhub.gateway.webapi.WebApiJson.DealRecord;

/**
 * Turns {@code /api/deal/get_batch} into a stream of new deals. The Web API has no push, so each poll asks for the
 * window from the newest deal seen minus an overlap up to well past now; deals in the overlap come back poll after
 * poll, and only tickets not seen before are handed out. The overlap covers deals that become visible a little
 * after deals with later times (and MT5's whole-second windows); a deal that shows up later than the overlap
 * behind the newest one is only found by the next back-fill.
 * <p>
 * Long windows (a back-fill over days, a poll after an outage) are read in chunks that adapt to the answer size, so
 * no single answer grows without bound. Used by one thread at a time.
 */
final class DealPoller {

    /** One {@code get_batch} by time window, in UTC; the implementation converts to server time. */
    @FunctionalInterface
    interface DealSource {
        List<DealRecord> fetch(Instant from, Instant to) throws WebApiException, InterruptedException;
    }

    static final Duration MIN_CHUNK = Duration.ofMinutes(1);
    static final Duration MAX_CHUNK = Duration.ofDays(1);
    static final Duration FIRST_CHUNK = Duration.ofHours(1);
    /** Answers above this many deals make the next chunk shorter; below a tenth of it, longer. */
    static final int LARGE_ANSWER = 5_000;
    /** Servers keep local time, often hours ahead of UTC, and clocks drift: windows reach this far past now. */
    static final Duration HORIZON = Duration.ofDays(1);

    private final DealSource source;
    private final Duration overlap;
    private final Map<Long, Instant> seen = new HashMap<>();
    private Instant cursor;
    private Duration chunk = FIRST_CHUNK;

    DealPoller(DealSource source, Duration overlap) {
        this.source = source;
        this.overlap = overlap;
    }

    /** Starts the live stream at {@code now}, unless it already has a position (a reconnect continues from it). */
    void startAt(Instant now) {
        if (cursor == null) {
            cursor = now;
        }
    }

    Instant cursor() {
        return cursor;
    }

    /** The deals not handed out before, oldest first; the cursor moves to the newest deal seen. */
    List<DealRecord> poll(Instant now) throws WebApiException, InterruptedException {
        if (cursor == null) {
            throw new IllegalStateException("startAt was not called");
        }
        Instant from = cursor.minus(overlap);
        List<DealRecord> fresh = new ArrayList<>();
        for (DealRecord deal : read(from, latest(now, cursor).plus(HORIZON), now)) {
            if (seen.putIfAbsent(deal.deal().ticket(), deal.time()) == null) {
                fresh.add(deal);
            }
            if (deal.time().isAfter(cursor)) {
                cursor = deal.time();
            }
        }
        Instant forgetBefore = cursor.minus(overlap);
        seen.values().removeIf(time -> time.isBefore(forgetBefore));
        return fresh;
    }

    /** Every deal with {@code from <= time <= to}, oldest first, read in chunks; the live stream is not touched. */
    List<DealRecord> history(Instant from, Instant to, Instant now) throws WebApiException, InterruptedException {
        return read(from, to, now);
    }

    private List<DealRecord> read(Instant from, Instant to, Instant now) throws WebApiException, InterruptedException {
        List<DealRecord> all = new ArrayList<>();
        Instant start = from;
        while (!start.isAfter(to)) {
            // past "now" nothing is expected: the last chunk reaches to the end in one request
            Instant end = start.plus(chunk).isBefore(now) ? start.plus(chunk).minusMillis(1) : to;
            if (end.isAfter(to)) {
                end = to;
            }
            List<DealRecord> part = source.fetch(start, end);
            for (DealRecord deal : part) {
                // the server's windows are whole seconds: keep exactly [start, end]
                if (!deal.time().isBefore(start) && !deal.time().isAfter(end)) {
                    all.add(deal);
                }
            }
            adapt(part.size());
            if (end.equals(to)) {
                break;
            }
            start = end.plusMillis(1);
        }
        all.sort(Comparator.comparing(DealRecord::time).thenComparing(d -> d.deal().ticket()));
        return all;
    }

    private void adapt(int answerSize) {
        if (answerSize > LARGE_ANSWER && chunk.compareTo(MIN_CHUNK) > 0) {
            Duration half = chunk.dividedBy(2);
            chunk = half.compareTo(MIN_CHUNK) < 0 ? MIN_CHUNK : half;
        } else if (answerSize < LARGE_ANSWER / 10 && chunk.compareTo(MAX_CHUNK) < 0) {
            Duration twice = chunk.multipliedBy(2);
            chunk = twice.compareTo(MAX_CHUNK) > 0 ? MAX_CHUNK : twice;
        }
    }

    Duration chunk() {
        return chunk;
    }

    int remembered() {
        return seen.size();
    }

    private static Instant latest(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
