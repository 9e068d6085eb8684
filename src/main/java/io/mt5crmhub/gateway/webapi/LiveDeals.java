package io.mt5crmhub.gateway.webapi;

import java.time.Instant;
import java.util.function.Supplier;

import io.mt5crmhub.gateway.webapi.WebApiJson.DealRecord;

/**
 * The live deal stream of a {@code webapi} gateway: {@code /api/deal/get_batch} by group mask and time window every
 * {@code poll-interval}, where the {@link DealPoller} keeps overlapping windows and hands out only unseen tickets,
 * as {@code deal.added} events. It survives reconnects: after an outage polling continues from the last deal seen.
 * Used by one thread at a time (a connect, then its poll thread).
 */
final class LiveDeals {

    private final DealPoller deals;
    private final WebApiReads reads;
    private final Supplier<Instant> now;

    LiveDeals(WebApiSettings settings, WebApiReads reads, Supplier<Instant> now) {
        this.deals = new DealPoller(reads::deals, settings.overlap());
        this.reads = reads;
        this.now = now;
    }

    /** Starts the stream at {@code start}, unless a connect before already did (then it continues). */
    void startAt(Instant start) {
        deals.startAt(start);
    }

    /** Delivers the deals made since the last poll, oldest first. */
    void poll(EventDelivery delivery) throws WebApiException, InterruptedException {
        for (DealRecord deal : deals.poll(now.get())) {
            delivery.deliver(reads.dealEvent(deal));
        }
    }
}
