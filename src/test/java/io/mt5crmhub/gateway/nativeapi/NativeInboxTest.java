package io.mt5crmhub.gateway.nativeapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The inbox between MT5's network thread and the pump: it never waits, and what it keeps is a gap-free prefix. */
class NativeInboxTest {

    @Test
    void aFullInboxDropsEveryLaterRecordUntilReopenedSoThatWhatItKeepsHasNoGap() throws Exception {
        Inbox inbox = new Inbox(3);
        for (int i = 1; i <= 5; i++) {
            inbox.offer("r" + i);
        }
        assertThat(inbox.poll(0)).isEqualTo("r1"); // room again, but r4 was dropped: r6 must not follow r3
        inbox.offer("r6");

        assertThat(drain(inbox)).containsExactly("r2", "r3");
        assertThat(inbox.overflowed()).isTrue();
        assertThat(inbox.dropped()).isEqualTo(3);
        assertThat(inbox.highWater()).isEqualTo(3);

        inbox.reopen();
        inbox.offer("r7");
        assertThat(drain(inbox)).containsExactly("r7");
        assertThat(inbox.overflowed()).isFalse();
    }

    @Test
    void connectionSignalsAreNeverDroppedAndKeepTheirPlaceAmongRecords() throws Exception {
        Inbox inbox = new Inbox(1);
        inbox.offer("r1");
        inbox.signal(Inbox.Signal.DISCONNECTED);
        inbox.offer("r2");
        inbox.signal(Inbox.Signal.CONNECTED);

        assertThat(drain(inbox)).containsExactly("r1", Inbox.Signal.DISCONNECTED, Inbox.Signal.CONNECTED);
        assertThat(inbox.size()).isZero();
    }

    @Test
    void refusingForgetsQueuedRecordsButKeepsTheSignalsInOrder() throws Exception {
        Inbox inbox = new Inbox(10);
        inbox.offer("r1");
        inbox.signal(Inbox.Signal.DISCONNECTED);
        inbox.offer("r2");
        inbox.signal(Inbox.Signal.CONNECTED);

        inbox.refuse();
        inbox.offer("r3");

        assertThat(drain(inbox)).containsExactly(Inbox.Signal.DISCONNECTED, Inbox.Signal.CONNECTED);
        assertThat(inbox.overflowed()).isTrue();
        assertThat(inbox.size()).isZero();
    }

    private static List<Object> drain(Inbox inbox) throws InterruptedException {
        List<Object> items = new ArrayList<>();
        Object item;
        while ((item = inbox.poll(0)) != null) {
            items.add(item);
        }
        return items;
    }
}
