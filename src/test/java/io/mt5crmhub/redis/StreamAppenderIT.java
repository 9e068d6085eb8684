package io.mt5crmhub.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EventSamples;
import io.mt5crmhub.testsupport.RedisTestServer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/** The Lua append against the machine's Redis: each event once, in order, and a refused entry named alone. */
class StreamAppenderIT {

    @AutoClose
    private final RedisTestServer redis = new RedisTestServer();
    private final String deals = redis.stream("deals");
    private final String accounts = redis.stream("accounts");
    private final StreamAppender appender = new StreamAppender(Map.of(EntityType.DEAL, deals,
            EntityType.POSITION, redis.stream("positions"), EntityType.ACCOUNT, accounts), 0, 3600);

    @Test
    void aListSentAgainAddsNothingTwiceAndEachEntryCarriesItsEvent() {
        List<Mt5Event> events = new ArrayList<>();
        for (long t = 1; t <= 150; t++) {
            events.add(EventSamples.deposit("s", 2_000_000 + t, 50001 + t % 5, "5.00", "d" + t));
        }

        StreamAppender.Outcome first = appender.append(redis.client(), events);
        StreamAppender.Outcome again = appender.append(redis.client(), events.subList(50, 150));

        assertThat(first.added()).isEqualTo(150);
        assertThat(again.added()).isZero();
        assertThat(again.duplicates()).isEqualTo(100);
        assertThat(redis.eventIds(deals)).as("every event once, in the order given")
                .isEqualTo(events.stream().map(Mt5Event::eventId).toList());
        Map<String, String> entry = redis.entries(deals).get(7);
        assertThat(entry.get("type")).isEqualTo("deal.added");
        assertThat(EventJson.read(entry.get("event"))).isEqualTo(events.get(7));
        assertThat(redis.client().ttl(appender.dedupeKey(deals, events.get(0).eventId()))).isBetween(3500L, 3600L);
    }

    @Test
    void aStreamThatCannotTakeEntriesRefusesItsEventsByNameAndTheOtherStreamsTakeTheirs() {
        redis.client().set(deals, "not a stream");
        Mt5Event deposit = EventSamples.deposit("s", 2_100_001, 50001, "5.00", "");
        Mt5Event account = EventSamples.account("s", 50001, "105.00", EventSamples.T0.plusSeconds(1));

        StreamAppender.Outcome outcome = appender.append(redis.client(), List.of(deposit, account));

        assertThat(outcome.added()).isEqualTo(1);
        assertThat(outcome.refused()).containsOnlyKeys(deposit);
        assertThat(outcome.refused().get(deposit)).contains(deals).contains("WRONGTYPE");
        assertThat(redis.eventIds(accounts)).containsExactly(account.eventId());
        assertThat(redis.client().exists(appender.dedupeKey(deals, deposit.eventId())))
                .as("no dedupe key for an event that was not added: sent again it is added then").isFalse();
    }

    @Test
    void maxLenTrimsTheStreamToAboutThatLength() {
        StreamAppender trimming = new StreamAppender(Map.of(EntityType.POSITION, redis.stream("trimmed")), 100, 60);
        List<Mt5Event> events = new ArrayList<>();
        for (int v = 1; v <= 1_000; v++) {
            events.add(EventSamples.position("s", EventType.POSITION_UPDATED, 7_000_001, 50001, "1",
                    Integer.toString(v), EventSamples.T0.plusSeconds(v)));
        }
        for (int from = 0; from < events.size(); from += 100) {
            trimming.append(redis.client(), events.subList(from, from + 100));
        }

        long length = redis.client().xlen(redis.stream("trimmed"));
        assertThat(length).as("MAXLEN ~ 100 keeps at least 100 and trims whole nodes beyond").isBetween(100L, 300L);
    }
}
