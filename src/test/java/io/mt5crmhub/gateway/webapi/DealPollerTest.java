package io.mt5crmhub.gateway.webapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mt5crmhub.event.Deal;
import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.DealEntry;
import io.mt5crmhub.event.DealReason;
import io.mt5crmhub.gateway.webapi.WebApiJson.DealRecord;

/** Overlapping windows hand out each ticket once; long windows are read in chunks that adapt to the answer size. */
class DealPollerTest {

    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    /** A fake server: the deals it holds, answering windows like get_batch (whole seconds, inclusive). */
    private final List<DealRecord> books = new ArrayList<>();
    private final List<Instant[]> requests = new ArrayList<>();
    private final DealPoller.DealSource source = (from, to) -> {
        requests.add(new Instant[] { from, to });
        Instant fromSecond = Instant.ofEpochSecond(from.getEpochSecond());
        Instant toEnd = Instant.ofEpochSecond(to.getEpochSecond()).plusMillis(999);
        return books.stream().filter(d -> !d.time().isBefore(fromSecond) && !d.time().isAfter(toEnd)).toList();
    };

    @Test
    void eachTicketIsHandedOutOnceAlthoughWindowsOverlap() throws Exception {
        DealPoller poller = new DealPoller(source, Duration.ofSeconds(30));
        poller.startAt(T0);
        add(1, T0.plusMillis(100));
        add(2, T0.plusMillis(900));

        List<Long> first = tickets(poller.poll(T0.plusSeconds(1)));
        add(3, T0.plusSeconds(2));
        List<Long> second = tickets(poller.poll(T0.plusSeconds(3)));
        List<Long> third = tickets(poller.poll(T0.plusSeconds(4)));

        assertThat(first).containsExactly(1L, 2L);
        assertThat(second).containsExactly(3L);
        assertThat(third).isEmpty();
        assertThat(poller.cursor()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void aDealThatAppearsLateWithAnEarlierTimeIsFoundWithinTheOverlap() throws Exception {
        DealPoller poller = new DealPoller(source, Duration.ofSeconds(30));
        poller.startAt(T0);
        add(10, T0.plusSeconds(20));
        poller.poll(T0.plusSeconds(21));

        add(9, T0.plusSeconds(5)); // committed late, 15 s behind the newest deal seen

        assertThat(tickets(poller.poll(T0.plusSeconds(22)))).containsExactly(9L);
        assertThat(requests.get(requests.size() - 1)[0]).isEqualTo(T0.plusSeconds(20).minusSeconds(30));
    }

    @Test
    void ticketsOlderThanTheOverlapAreForgotten() throws Exception {
        DealPoller poller = new DealPoller(source, Duration.ofSeconds(10));
        poller.startAt(T0);
        for (int i = 0; i < 100; i++) {
            add(i + 1, T0.plusSeconds(i));
        }

        assertThat(poller.poll(T0.plusSeconds(100))).hasSize(100);
        assertThat(poller.remembered()).isLessThanOrEqualTo(11);
        assertThat(poller.poll(T0.plusSeconds(101))).as("no repeat after forgetting").isEmpty();
    }

    @Test
    void aReconnectContinuesFromTheLastDealSeen() throws Exception {
        DealPoller poller = new DealPoller(source, Duration.ofSeconds(10));
        poller.startAt(T0);
        add(1, T0.plusSeconds(1));
        poller.poll(T0.plusSeconds(2));
        add(2, T0.plusSeconds(60)); // made while the server was away from us

        poller.startAt(T0.plusSeconds(120)); // after the outage: keeps its position

        assertThat(tickets(poller.poll(T0.plusSeconds(121)))).containsExactly(2L);
    }

    @Test
    void historyIsReadInChunksThatShrinkForLargeAnswersAndEachDealOnce() throws Exception {
        DealPoller poller = new DealPoller(source, Duration.ofSeconds(10));
        long ticket = 1;
        for (int i = 0; i < 6_000; i++) {
            add(ticket++, T0.plusMillis(i * 500L)); // 6000 deals in 50 minutes: the first one-hour answer is large
        }
        for (int i = 0; i < 10; i++) {
            add(ticket++, T0.plusSeconds(3 * 3600 + i));
        }

        List<DealRecord> history = poller.history(T0.minusSeconds(1), T0.plus(Duration.ofDays(2)),
                T0.plus(Duration.ofDays(3)));

        assertThat(tickets(history)).doesNotHaveDuplicates().hasSize(6_010);
        assertThat(history).isSortedAccordingTo((a, b) -> a.time().compareTo(b.time()));
        assertThat(requests.get(1)[1].getEpochSecond() - requests.get(1)[0].getEpochSecond())
                .as("the chunk after a large answer is shorter").isLessThan(3600);
        assertThat(requests).hasSizeLessThan(20);
        for (int i = 1; i < requests.size(); i++) {
            assertThat(requests.get(i)[0]).as("chunks follow each other without a gap")
                    .isEqualTo(requests.get(i - 1)[1].plusMillis(1));
        }
    }

    @Test
    void pastNowTheLastChunkReachesTheEndInOneRequest() throws Exception {
        DealPoller poller = new DealPoller(source, Duration.ofSeconds(10));

        poller.history(T0.minus(Duration.ofMinutes(30)), T0.plus(Duration.ofDays(1)), T0);

        assertThat(requests).hasSize(1);
    }

    private void add(long ticket, Instant time) {
        books.add(new DealRecord(50012, time, new Deal(ticket, 0, 0, DealAction.BALANCE, DealEntry.IN, DealReason.DEALER,
                "", BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ONE, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                "")));
    }

    private static List<Long> tickets(List<DealRecord> deals) {
        return deals.stream().map(d -> d.deal().ticket()).toList();
    }
}
