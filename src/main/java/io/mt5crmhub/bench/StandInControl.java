package io.mt5crmhub.bench;

import com.sun.jna.Library;
import com.sun.jna.Memory;

/**
 * The control exports ({@code stub_*}) of the gcc-built stand-in for MT5APIManager64.dll ({@code src/test/native},
 * built into {@code target/native/libmt5stub.so}) that the bench's {@code NATIVE} part drives: it makes deals on
 * the stand-in's "trade server" and lets a burst build up in the library's queue. The tests' control interface
 * extends this one with the exports only they use. Strings go in as NUL-terminated UTF-16LE.
 */
public interface StandInControl extends Library {

    /** Forgets every subscription, store entry and fault. */
    void stub_reset();

    /** Login 0 accepts any credentials (after a reset). */
    void stub_set_credentials(long login, Memory password);

    void stub_user_event(int change, long login, Memory group, Memory name, Memory email, Memory country,
            int leverage, double balance, double credit, long clientId);

    /** A deal of {@code change} (0 add, 1 update, 2 delete), queued for the deal sinks while a manager is connected. */
    void stub_deal_event(int change, long ticket, long login, int action, int entry, long volume, double price,
            double profit, Memory symbol, Memory comment, long timeMsc, long positionId);

    /** 1 holds every event in the library's queue (a burst builds up), 0 delivers them again. */
    void stub_hold_events(int hold);

    /** Waits until every queued event has been delivered: 0 when drained, 9 after {@code timeoutMs}. */
    int stub_drain(int timeoutMs);
}
