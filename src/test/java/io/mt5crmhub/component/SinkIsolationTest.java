package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.Mt5TestContext;
import io.mt5crmhub.testsupport.StubEventSource;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sinks on one MT5 connection: one that stops taking events does not hold the other back. What its queue cannot
 * hold goes to its overflow, it catches up in order once it takes events again, and a stop does not wait for it.
 */
class SinkIsolationTest {

    private static final int EVENTS = 3000;
    private static final int QUEUE = 50;

    @TempDir
    Path overflow;

    private final CountDownLatch sinkBack = new CountDownLatch(1);
    private volatile boolean sinkDown = true;

    @Test
    void aStuckSinkFallsBehindAloneAndCatchesUpInOrder() throws Exception {
        List<Mt5Event> events = deals(0, EVENTS);
        try (Mt5TestContext camel = context(events)) {
            MockEndpoint healthy = camel.mock("mock:healthy");
            await().atMost(Duration.ofSeconds(30)).until(() -> healthy.getReceivedCounter() == EVENTS);

            Mt5Feed stuck = feedOf(camel, "stuck");
            assertThat(stuck.held()).as("in memory: the queue and the one exchange in flight").isLessThanOrEqualTo(QUEUE + 1);
            assertThat(stuck.overflowed()).as("on disk").isGreaterThanOrEqualTo(EVENTS - QUEUE - 1);
            assertThat(stuck.lagSeconds()).isPositive();

            sinkBack.countDown();
            MockEndpoint slow = camel.mock("mock:stuck");
            await().atMost(Duration.ofSeconds(30)).until(() -> slow.getReceivedCounter() == EVENTS);
            assertThat(idsOf(slow)).as("every event once, in MT5's order").isEqualTo(idsOf(events));
            assertThat(stuck.overflowed()).isZero();
        }
    }

    /**
     * A sink that is down (it fails, and its route retries the head without end, like the REST CRM's policy) does not
     * hold a stop: the stop waits about 2 s for progress, puts the queue in the overflow and ends the retries.
     */
    @Test
    void aStopDoesNotWaitForASinkThatIsDownAndTheNextStartRoutesWhatItHeldFirst() throws Exception {
        List<Mt5Event> events = deals(0, EVENTS);
        List<String> routedBeforeTheStop;
        long stopMillis;
        try (Mt5TestContext camel = contextWithASinkDown(events)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> camel.mock("mock:healthy").getReceivedCounter() == EVENTS);
            routedBeforeTheStop = idsOf(camel.mock("mock:stuck"));
            long t0 = System.nanoTime();
            camel.context().stop(); // the stuck sink never comes back in this run
            stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        }
        assertThat(stopMillis).as("the stop waits ~2 s for progress, not the shutdown timeout").isLessThan(8_000);

        sinkDown = false;
        try (Mt5TestContext camel = contextWithASinkDown(List.of())) {
            MockEndpoint slow = camel.mock("mock:stuck");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> slow.getReceivedCounter() + routedBeforeTheStop.size() >= EVENTS);
            List<String> all = new ArrayList<>(routedBeforeTheStop);
            all.addAll(idsOf(slow));
            assertThat(all).as("nothing lost, in order; the event in flight at the stop may come again")
                    .containsSubsequence(idsOf(events)).hasSizeLessThanOrEqualTo(EVENTS + 1);
        }
    }

    /** A context with one MT5 server sending {@code live}, a healthy sink, and a sink stuck until sinkBack. */
    private Mt5TestContext context(List<Mt5Event> live) throws Exception {
        return new Mt5TestContext().source(new StubEventSource("x").live(live.toArray(Mt5Event[]::new)))
                .overflow(overflow)
                .routes(rb -> rb.from("mt5:deals?server=x&checkpointId=healthy&queueSize=" + QUEUE).routeId("healthy")
                        .to("mock:healthy"))
                .routes(rb -> rb.from("mt5:deals?server=x&checkpointId=stuck&queueSize=" + QUEUE).routeId("stuck")
                        .process(exchange -> sinkBack.await(60, TimeUnit.SECONDS))
                        .to("mock:stuck"))
                .start();
    }

    /** As {@link #context}, the second sink failing while sinkDown, retried by its route until a stop. */
    private Mt5TestContext contextWithASinkDown(List<Mt5Event> live) throws Exception {
        return new Mt5TestContext().source(new StubEventSource("x").live(live.toArray(Mt5Event[]::new)))
                .overflow(overflow)
                .routes(rb -> rb.from("mt5:deals?server=x&checkpointId=healthy&queueSize=" + QUEUE).routeId("healthy")
                        .to("mock:healthy"))
                .routes(rb -> {
                    rb.errorHandler(rb.defaultErrorHandler().maximumRedeliveries(-1).redeliveryDelay(100)
                            .allowRedeliveryWhileStopping(false));
                    rb.from("mt5:deals?server=x&checkpointId=stuck&queueSize=" + QUEUE).routeId("stuck")
                            .process(exchange -> {
                                if (sinkDown) {
                                    throw new IllegalStateException("the sink is down");
                                }
                            })
                            .to("mock:stuck");
                })
                .start();
    }

    private static Mt5Feed feedOf(Mt5TestContext camel, String routeId) {
        return ((Mt5Consumer) camel.context().getRoute(routeId).getConsumer()).feeds().get(0);
    }

    private static List<Mt5Event> deals(int from, int to) {
        List<Mt5Event> deals = new ArrayList<>();
        for (int i = from; i < to; i++) {
            deals.add(EventSamples.deposit("x", 1_000_000 + i, 50001 + i % 9, "1.00", "d" + i));
        }
        return deals;
    }

    private static List<String> idsOf(MockEndpoint mock) {
        return mock.getReceivedExchanges().stream().map(Exchange::getMessage).map(m -> m.getBody(Mt5Event.class))
                .map(Mt5Event::eventId).toList();
    }

    private static List<String> idsOf(List<Mt5Event> events) {
        return events.stream().map(Mt5Event::eventId).toList();
    }
}
