package io.mt5crmhub.bench;

import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import io.mt5crmhub.config.Settings;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.Mt5EventSource;
import io.mt5crmhub.gateway.configured.ConfiguredGatewayFactory;
import io.mt5crmhub.gateway.nativeapi.DealSink;
import io.mt5crmhub.gateway.nativeapi.ManagerApi;
import io.mt5crmhub.gateway.nativeapi.ManagerLibrary;

/**
 * The {@code NATIVE} part: deals/s from the Manager API stand-in's network thread, in one run and over the same
 * bursts,
 * <ul>
 * <li>the reference: a bare sink subscribed through the Manager API, whose JNA callback reads each deal's fields
 * through its vtable (the gateway's own {@link DealSink}) and only counts it: the floor cost of the upcall;</li>
 * <li>the native gateway as shipped, configured from {@code mt5.server.<id>.*} keys like the hub configures it, to a
 * listener that only counts: the upcall, its inbox, its pump thread and the making of each event.</li>
 * </ul>
 * Each burst is queued in the library while it holds its events ({@code stub_hold_events(1)}), so only delivery is
 * timed: from the release to the last deal's arrival. Bursts to warm up come first, untimed. The part needs the
 * stand-in's control exports to make deals; without them it says why it is skipped.
 */
final class NativeBench {

    /** Bursts delivered untimed before the timed one, on each side: the JIT compiles both paths meanwhile. */
    static final int WARM_UP_BURSTS = 3;
    private static final String SERVER = "bench";
    private static final long MANAGER = 1015;
    private static final String PASSWORD = "bench";
    private static final long LOGIN = 50012;
    private static final Duration BURST_DEADLINE = Duration.ofMinutes(2);

    /** The stand-in, loaded, or why the part is skipped. */
    record Probe(Path library, StandInControl control, String skipped) {

        static Probe skip(String why) {
            return new Probe(null, null, why);
        }
    }

    /** One timed burst: {@code deals} delivered in {@code seconds}. */
    record Burst(int deals, double seconds) {

        double dealsPerSecond() {
            return deals / seconds;
        }

        double microsPerDeal() {
            return seconds * 1e6 / deals;
        }
    }

    private NativeBench() {
    }

    /**
     * Loads {@code library} (the {@code --native-library} option, empty when not given) when it is the stand-in: a
     * library that exports every control function of {@link StandInControl}.
     */
    static Probe probe(String library) {
        if (library == null || library.isBlank()) {
            return Probe.skip("no --native-library given (the part drives the Manager API stand-in that"
                    + " mvn generate-test-resources builds with gcc: target/native/libmt5stub.so)");
        }
        Path path = Path.of(library).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            return Probe.skip(library + " does not exist or is not a file");
        }
        NativeLibrary loaded;
        try {
            loaded = NativeLibrary.getInstance(path.toString());
        } catch (UnsatisfiedLinkError e) {
            return Probe.skip("cannot load " + library + ": " + firstLines(e.getMessage()));
        }
        List<String> missing = controlExports().stream().filter(name -> !exports(loaded, name)).toList();
        if (!missing.isEmpty()) {
            return Probe.skip(library + " lacks the stand-in's control exports (" + String.join(", ", missing)
                    + "): the part makes its deals through them, which MT5APIManager64.dll does not have");
        }
        return new Probe(path, Native.load(path.toString(), StandInControl.class), null);
    }

    /** The control functions the part calls, by name. */
    static List<String> controlExports() {
        return Arrays.stream(StandInControl.class.getDeclaredMethods()).map(Method::getName).sorted().toList();
    }

    /** Measures and prints both sides; prints one line instead when the part is skipped. */
    static void run(String library, int deals, PrintStream out) throws Exception {
        Probe probe = probe(library);
        if (probe.skipped() != null) {
            out.println("native: skipped, " + probe.skipped());
            return;
        }
        out.printf("native: bursts of %,d deals from the stand-in's network thread (%s), %d untimed to warm up"
                + " then 1 timed, each side%n", deals, probe.library(), WARM_UP_BURSTS);
        Burst reference = reference(probe, deals);
        out.printf("measured native reference, a bare JNA callback reading each deal: %s deals/s, %.2f µs per deal%n",
                Benchmark.number(reference.dealsPerSecond()), reference.microsPerDeal());
        Burst gateway = gateway(probe, deals);
        out.printf("measured native gateway as shipped, to a listener that counts: %s deals/s, %.2f µs per deal%n",
                Benchmark.number(gateway.dealsPerSecond()), gateway.microsPerDeal());
        out.print(table(reference, gateway));
    }

    /** The part's table: both sides and the gateway's ratio to the reference. */
    static String table(Burst reference, Burst gateway) {
        return String.format("%nnative path (JNA, Manager API stand-in), %,d deals timed:%n"
                        + "  %-52s %12s %12s%n  %-52s %12s %12.2f%n  %-52s %12s %12.2f%n"
                        + "  gateway/reference: %.2f of the reference's deals/s (%.2f× its µs per deal)%n",
                gateway.deals(), "", "deals/s", "µs/deal",
                "reference: bare JNA callback, reads each deal", Benchmark.number(reference.dealsPerSecond()),
                reference.microsPerDeal(),
                "native gateway as shipped, listener counts", Benchmark.number(gateway.dealsPerSecond()),
                gateway.microsPerDeal(),
                gateway.dealsPerSecond() / reference.dealsPerSecond(),
                gateway.microsPerDeal() / reference.microsPerDeal());
    }

    /** A manager logged in to the stand-in, one deal sink whose callback reads each deal and counts it. */
    private static Burst reference(Probe probe, int deals) throws Exception {
        StandInControl stub = world(probe.control());
        ManagerLibrary library = ManagerLibrary.load("--native-library", probe.library().toString());
        ManagerApi manager = library.createManager();
        Arrivals arrivals = new Arrivals();
        DealSink sink = new DealSink(change -> arrivals.arrived(), () -> { });
        try {
            check("Connect", manager.connect("127.0.0.1:443", MANAGER, PASSWORD,
                    ManagerApi.PUMP_USERS_DEALS_POSITIONS, 5_000));
            check("DealSubscribe", manager.dealSubscribe(sink));
            drain(stub);
            Burst timed = bursts(stub, arrivals, deals, () -> "");
            if (sink.failures() > 0) {
                throw new IllegalStateException("the reference's sink failed on " + sink.failures() + " deals");
            }
            return timed;
        } finally {
            manager.dealUnsubscribe(sink);
            manager.disconnect();
            manager.release();
        }
    }

    /** The native gateway the hub would make of the same keys, and a listener that counts what it delivers. */
    private static Burst gateway(Probe probe, int deals) throws Exception {
        StandInControl stub = world(probe.control());
        Mt5EventSource gateway = new ConfiguredGatewayFactory(Settings.of(Map.of(
                "mt5.servers", SERVER,
                "mt5.server." + SERVER + ".gateway", "native",
                "mt5.server." + SERVER + ".library", probe.library().toString(),
                "mt5.server." + SERVER + ".address", "127.0.0.1:443",
                "mt5.server." + SERVER + ".login", Long.toString(MANAGER),
                "mt5.server." + SERVER + ".password", PASSWORD,
                "mt5.server." + SERVER + ".timeout", "5s"))).create(SERVER);
        Arrivals arrivals = new Arrivals();
        StringBuilder disconnects = new StringBuilder();
        gateway.connect(new GatewayListener() {
            @Override
            public void onEvent(Mt5Event event) {
                arrivals.arrived();
            }

            @Override
            public void onConnected() {
            }

            @Override
            public void onDisconnected(String reason) {
                synchronized (disconnects) {
                    disconnects.append("; disconnected: ").append(reason);
                }
            }
        });
        try {
            drain(stub);
            return bursts(stub, arrivals, deals, () -> {
                synchronized (disconnects) {
                    return disconnects + (gateway.droppedEvents() > 0
                            ? "; the gateway dropped " + gateway.droppedEvents() + " deals (inbox full)" : "");
                }
            });
        } finally {
            gateway.disconnect();
        }
    }

    /** The stand-in reset, with the manager's credentials and the login the deals are made for. */
    private static StandInControl world(StandInControl stub) {
        stub.stub_reset();
        stub.stub_set_credentials(MANAGER, utf16(PASSWORD));
        stub.stub_user_event(0, LOGIN, utf16("real\\usd"), utf16("Bench"), utf16(""), utf16(""), 100, 0, 0, 0);
        return stub;
    }

    /** {@link #WARM_UP_BURSTS} bursts untimed, then the timed one; each burst's tickets follow the last's. */
    private static Burst bursts(StandInControl stub, Arrivals arrivals, int deals,
            java.util.function.Supplier<String> problems) throws InterruptedException {
        Memory symbol = utf16("EURUSD");
        Memory comment = utf16("");
        long clock = Instant.now().minusSeconds(3_600).toEpochMilli();
        Burst burst = null;
        for (int round = 0; round <= WARM_UP_BURSTS; round++) {
            arrivals.expect(deals);
            stub.stub_hold_events(1);
            long first = (long) round * deals + 1;
            for (long ticket = first; ticket < first + deals; ticket++) {
                // a buy of 1 lot opening position <ticket>: one deal.added event each
                stub.stub_deal_event(0, ticket, LOGIN, 0, 0, 10_000, 1.08, 0, symbol, comment, clock + ticket, ticket);
            }
            long started = System.nanoTime();
            stub.stub_hold_events(0);
            if (!arrivals.await(BURST_DEADLINE)) {
                throw new IllegalStateException("native: " + arrivals.count() + " of " + deals + " deals arrived within "
                        + BURST_DEADLINE.toSeconds() + " s" + problems.get());
            }
            burst = new Burst(deals, (arrivals.doneAt() - started) / 1e9);
            drain(stub);
            String problem = problems.get();
            if (!problem.isEmpty()) {
                throw new IllegalStateException("native: " + problem.substring(2));
            }
        }
        return burst;
    }

    private static void drain(StandInControl stub) {
        if (stub.stub_drain(60_000) != 0) {
            throw new IllegalStateException("native: the stand-in's queue did not drain within 60 s");
        }
    }

    private static void check(String call, int res) {
        if (res != 0) {
            throw new IllegalStateException("native: the stand-in answered " + Integer.toUnsignedString(res) + " to "
                    + call);
        }
    }

    /** NUL-terminated UTF-16LE, as the library reads it. */
    private static Memory utf16(String text) {
        byte[] bytes = (text + "\0").getBytes(StandardCharsets.UTF_16LE);
        Memory memory = new Memory(bytes.length);
        memory.write(0, bytes, 0, bytes.length);
        return memory;
    }

    private static boolean exports(NativeLibrary library, String name) {
        try {
            library.getFunction(name);
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /** JNA's first lines ("Unable to load library '...':" then the loader's reason) as one. */
    private static String firstLines(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.lines().map(String::trim).filter(line -> !line.isEmpty()).limit(2)
                .collect(java.util.stream.Collectors.joining(" "));
    }

    /** What a callback does besides reading the deal: counts it, and notes the time of the burst's last one. */
    private static final class Arrivals {

        private final AtomicLong count = new AtomicLong();
        private volatile long target;
        private volatile long doneAt;
        private volatile CountDownLatch done = new CountDownLatch(1);

        void expect(long deals) {
            count.set(0);
            done = new CountDownLatch(1);
            target = deals;
        }

        void arrived() {
            if (count.incrementAndGet() == target) {
                doneAt = System.nanoTime();
                done.countDown();
            }
        }

        boolean await(Duration deadline) throws InterruptedException {
            return done.await(deadline.toMillis(), TimeUnit.MILLISECONDS);
        }

        long count() {
            return count.get();
        }

        long doneAt() {
            return doneAt;
        }
    }
}
