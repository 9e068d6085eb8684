package io.mt5crmhub.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.mt5crmhub.event.Account;
import io.mt5crmhub.event.ChangeType;

/** Snapshot differences become added / updated / deleted; user versions stay put while the content does. */
class SnapshotDiffTest {

    private record Row(long key, int version, String text) {
    }

    private final SnapshotDiff<Long, Row> diff = new SnapshotDiff<>((a, b) -> b.version() > a.version());

    @Test
    void theFirstSnapshotIsTheBaselineAndReportsNothing() {
        assertThat(diff.hasBaseline()).isFalse();
        assertThat(diff.next(rows(new Row(1, 1, "a"), new Row(2, 1, "b")))).isEmpty();
        assertThat(diff.hasBaseline()).isTrue();
    }

    @Test
    void changesBetweenSnapshotsAreAddedUpdatedAndDeleted() {
        diff.next(rows(new Row(1, 1, "a"), new Row(2, 1, "b"), new Row(3, 1, "c")));

        List<SnapshotDiff.Change<Long, Row>> changes = diff.next(rows(new Row(1, 2, "a2"), new Row(3, 1, "c*"),
                new Row(4, 1, "d")));

        assertThat(changes).extracting(SnapshotDiff.Change::change, SnapshotDiff.Change::key)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(ChangeType.UPDATED, 1L),
                        org.assertj.core.groups.Tuple.tuple(ChangeType.ADDED, 4L),
                        org.assertj.core.groups.Tuple.tuple(ChangeType.DELETED, 2L));
        assertThat(changes.get(2).record().text()).as("a deletion carries the record as last seen").isEqualTo("b");
        assertThat(diff.next(rows(new Row(1, 2, "a2"), new Row(3, 1, "c*"), new Row(4, 1, "d"))))
                .as("the same snapshot again changes nothing").isEmpty();
    }

    @Test
    void aRecordThatChangedWithoutANewerVersionIsNotAnUpdate() {
        diff.next(rows(new Row(1, 5, "a")));

        assertThat(diff.next(rows(new Row(1, 5, "floating profit moved")))).isEmpty();
    }

    @Test
    void accountVersionsFollowTheContent() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-05T10:00:00.000Z"));
        AccountVersions versions = new AccountVersions(now::get);
        Account before = account("100.00");

        Instant first = versions.versioned(50012, before).updatedAt();
        now.set(now.get().plusSeconds(5));
        Instant same = versions.versioned(50012, account("100.00")).updatedAt();
        Instant changed = versions.versioned(50012, account("150.00")).updatedAt();
        Instant sameClockAgain = versions.versioned(50013, account("1.00")).updatedAt();
        Instant deleted = versions.deleted(50012, account("150.00")).updatedAt();

        assertThat(same).as("the same content seen again keeps its version").isEqualTo(first);
        assertThat(changed).isEqualTo(Instant.parse("2026-01-05T10:00:05.000Z"));
        assertThat(sameClockAgain).as("versions strictly rise").isAfter(changed);
        assertThat(deleted).isAfter(sameClockAgain);
        assertThat(versions.versioned(50012, account("150.00")).updatedAt()).as("forgotten after deletion")
                .isAfter(deleted);
    }

    private static Account account(String balance) {
        return new Account("real\\usd", "Jane", "jane@example.com", 100, null, new BigDecimal(balance), BigDecimal.ZERO,
                0, Instant.parse("2026-01-01T00:00:00Z"), null);
    }

    private static Map<Long, Row> rows(Row... rows) {
        Map<Long, Row> map = new LinkedHashMap<>();
        for (Row row : rows) {
            map.put(row.key(), row);
        }
        return map;
    }
}
