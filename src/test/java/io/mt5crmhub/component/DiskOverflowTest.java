package io.mt5crmhub.component;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.mt5crmhub.component.Subscription.Received;
import io.mt5crmhub.event.EventType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.testsupport.EventSamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskOverflowTest {

    @TempDir
    Path dir;

    @Test
    void eventsComeBackInTheOrderTheyWentInWhileMoreArrive() throws Exception {
        try (DiskOverflow overflow = new DiskOverflow(dir, 1 << 30)) {
            List<String> read = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                overflow.append(deal(i), 1_000L + i);
                if (i % 7 == 0) {
                    overflow.read(5).forEach(r -> read.add(r.event().eventId()));
                }
            }
            while (!overflow.isEmpty()) {
                overflow.read(64).forEach(r -> read.add(r.event().eventId()));
            }

            assertThat(read).isEqualTo(ids(0, 1000));
            assertThat(overflow.bytes()).isZero();
            assertThat(files()).as("a read-empty overflow leaves no file").isEmpty();
        }
    }

    @Test
    void eventsPutBackGoInFrontOfEverythingAndKeepTheirReceiveTime() throws Exception {
        try (DiskOverflow overflow = new DiskOverflow(dir, 1 << 30)) {
            for (int i = 10; i < 20; i++) {
                overflow.append(deal(i), i);
            }
            List<Received> first = overflow.read(3); // 10, 11, 12 go on to the sink...
            overflow.prepend(first); // ...which is stopping and gives them back

            List<Received> all = overflow.read(100);
            assertThat(all).extracting(r -> r.event().eventId()).isEqualTo(ids(10, 20));
            assertThat(all).extracting(Received::receivedAt).startsWith(10L, 11L, 12L, 13L);
        }
    }

    @Test
    void aRestartReadsWhatThePreviousRunLeftAndCutsATornLastRecord() throws Exception {
        try (DiskOverflow overflow = new DiskOverflow(dir, 1 << 30)) {
            for (int i = 0; i < 50; i++) {
                overflow.append(deal(i), i);
            }
            overflow.read(20);
        }
        Path segment = files().get(0);
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 3); // a crash in the middle of the last record
        }

        try (DiskOverflow reopened = new DiskOverflow(dir, 1 << 30)) {
            assertThat(reopened.count()).as("a restart reads the whole file again, but for the torn record").isEqualTo(49);
            assertThat(reopened.read(100)).extracting(r -> r.event().eventId()).isEqualTo(ids(0, 49));
            assertThat(reopened.oldestDealTime()).isNull();
        }
    }

    @Test
    void itIsFullAtItsLimitAndRemembersTheOldestDealWrittenUntilReadEmpty() throws Exception {
        try (DiskOverflow overflow = new DiskOverflow(dir, 2_000)) {
            Mt5Event position = EventSamples.position("s", EventType.POSITION_UPDATED, 7, 50001, "1", "0",
                    EventSamples.T0.minusSeconds(3600));
            overflow.append(position, 1);
            assertThat(overflow.oldestDealTime()).as("positions hold no deal checkpoint").isNull();
            int appended = 1;
            while (!overflow.isFull()) {
                overflow.append(deal(appended++), 1);
            }
            assertThat(overflow.bytes()).isGreaterThanOrEqualTo(2_000);
            assertThat(overflow.oldestDealTime()).isEqualTo(deal(1).occurredAt());

            overflow.read(2);
            assertThat(overflow.isFull()).isFalse();
            assertThat(overflow.oldestDealTime()).as("errs towards reading again").isEqualTo(deal(1).occurredAt());
            overflow.read(appended);
            assertThat(overflow.oldestDealTime()).isNull();
        }
    }

    private static Mt5Event deal(int i) {
        return EventSamples.deposit("s", 1_000_000 + i, 50001, "1.00", "d" + i);
    }

    private static List<String> ids(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add(deal(i).eventId());
        }
        return ids;
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
