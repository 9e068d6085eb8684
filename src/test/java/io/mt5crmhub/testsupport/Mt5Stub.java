package io.mt5crmhub.testsupport;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.Memory;
import com.sun.jna.Native;

import io.mt5crmhub.bench.StandInControl;

/**
 * The gcc-built stand-in for MT5APIManager64.dll ({@code src/test/native}, built by Maven into
 * {@code target/native}) and its control API. One stand-in "trade server" per JVM: tests that use it call
 * {@link #reset()} first. Strings go in as UTF-16 encoded here, independently of the binding under test.
 */
public final class Mt5Stub {

    /** The manager login and password the tests give the stand-in ({@code stub_set_credentials}) and the gateway. */
    public static final long MANAGER = 1015;
    public static final String PASSWORD = "S3cret!";

    /** The stub_* exports of the stand-in: those the bench drives ({@link StandInControl}) and the tests' own. */
    public interface Control extends StandInControl {

        void stub_set_build(int build);

        int stub_requested_api_version();

        void stub_set_reachable(int reachable);

        void stub_deal_event_full(int change, long ticket, long login, long order, long positionId, int action,
                int entry, int reason, long volume, double price, double profit, double commission, double storage,
                Memory symbol, Memory comment, long timeMsc);

        void stub_position_event_full(int change, long ticket, long login, Memory symbol, int action, long volume,
                double priceOpen, double priceCurrent, double priceSl, double priceTp, double profit, double storage,
                Memory comment, long timeCreateMsc, long timeUpdateMsc);

        void stub_user_event_full(int change, long login, Memory group, Memory name, Memory email, Memory country,
                int leverage, double balance, double credit, long clientId, long agent, long registration);

        /** Where the tickets of the deals DealerBalance makes start. */
        void stub_set_next_ticket(long ticket);

        void stub_position_event(int change, long ticket, long login, Memory symbol, int action, long volume,
                double priceOpen, double profit, long timeUpdateMsc);

        void stub_drop_connection();

        void stub_restore_connection();

        int stub_is_connected();

        void stub_balance_refuse_next(int retcode);

        void stub_balance_timeout_next();

        void stub_fail_next(int slot, int retcode);

        void stub_set_callback_delay_us(int micros);

        long stub_calls(int slot);

        void stub_set_trap_aborts(int aborts);

        int stub_traps(byte[] last, int size);

        int stub_violations(byte[] last, int size);

        /** Arrays created through the manager and not released yet. */
        long stub_live_arrays();
    }

    public static final int ADD = 0;
    public static final int UPDATE = 1;
    public static final int DELETE = 2;

    private static Control control;

    private Mt5Stub() {
    }

    /** The stand-in's path; Maven passes its directory as {@code mt5.stub.dir}. */
    public static Path library() {
        return directory().resolve("libmt5stub.so");
    }

    /** A library with MTManagerVersion but without MTManagerCreateExt. */
    public static Path libraryWithoutExports() {
        return directory().resolve("libnoexports.so");
    }

    public static synchronized Control control() {
        if (control == null) {
            Path library = library();
            if (!Files.isRegularFile(library)) {
                throw new IllegalStateException(library + " is missing: build it with mvn generate-test-resources");
            }
            control = Native.load(library.toString(), Control.class);
        }
        return control;
    }

    /** Forgets every subscription, store entry and fault; traps abort again. */
    public static Control reset() {
        Control c = control();
        c.stub_reset();
        return c;
    }

    /** NUL-terminated UTF-16LE, as the library reads it. */
    public static Memory utf16(String text) {
        byte[] bytes = (text + "\0").getBytes(StandardCharsets.UTF_16LE);
        Memory memory = new Memory(bytes.length);
        memory.write(0, bytes, 0, bytes.length);
        return memory;
    }

    /** The last trap as "<interface> slot <n>", or empty. */
    public static String lastTrap() {
        byte[] buffer = new byte[128];
        control().stub_traps(buffer, buffer.length);
        return Native.toString(buffer, StandardCharsets.US_ASCII.name());
    }

    public static int trapCount() {
        return control().stub_traps(null, 0);
    }

    /** The last rule the binding broke (request from a callback, releasing an API-owned object), or empty. */
    public static String lastViolation() {
        byte[] buffer = new byte[160];
        control().stub_violations(buffer, buffer.length);
        return Native.toString(buffer, StandardCharsets.US_ASCII.name());
    }

    public static int violationCount() {
        return control().stub_violations(null, 0);
    }

    private static Path directory() {
        return Path.of(System.getProperty("mt5.stub.dir", "target/native"));
    }
}
