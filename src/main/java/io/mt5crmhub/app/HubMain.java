package io.mt5crmhub.app;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.mt5crmhub.bench.Benchmark;
import io.mt5crmhub.gateway.simulator.server.SimulatorServer;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar mt5-crm-hub.jar}: runs the hub with {@code application.properties} from the working
 * directory (falling back to the copy inside the jar), the YAML routes in {@code routes/} and the connectors in
 * {@code connectors/}. A bad setting stops start-up with one line naming the key and exit code 1.
 */
public final class HubMain {

    static final String PROPERTIES = "file:application.properties;optional=true,"
            + "classpath:application.properties;optional=true";
    private static final Logger LOG = LoggerFactory.getLogger(HubMain.class);
    private static final Duration SIGTERM_WAIT = Duration.ofSeconds(60);

    private HubMain() {
    }

    public static void main(String[] args) {
        AtomicInteger exitCode = new AtomicInteger(1);
        CountDownLatch stopped = new CountDownLatch(1);
        // On SIGTERM the JVM would end with 143 as soon as Camel's own hook returns. Wait until the main thread
        // has finished the graceful stop and end with its exit code (0), as service managers expect.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (stopped.await(SIGTERM_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.out.flush();
                    Runtime.getRuntime().halt(exitCode.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hub-exit-code"));
        exitCode.set(run(args));
        stopped.countDown();
        System.exit(exitCode.get());
    }

    static int run(String[] args) {
        String command = args.length > 0 && !args[0].startsWith("-") ? args[0] : "run";
        String[] rest = args.length > 0 && !args[0].startsWith("-") ? Arrays.copyOfRange(args, 1, args.length) : args;
        return switch (command) {
            case "run" -> runHub(rest);
            case "bench" -> Benchmark.run(rest);
            case "dead-letters" -> DeadLetterCommand.run(rest);
            case "reconcile" -> ReconcileCommand.run(rest);
            case "simulator" -> SimulatorServer.run(rest);
            case "help", "--help", "-h" -> usage(0);
            default -> {
                System.err.println("mt5-crm-hub: unknown command '" + command + "'");
                yield usage(2);
            }
        };
    }

    private static int usage(int exitCode) {
        System.err.println("usage: java -jar mt5-crm-hub.jar [run]    start the hub (the default)");
        System.err.println("       java -jar mt5-crm-hub.jar bench  [--events N] [--rabbitmq URI] [--postgres JDBC-URL]");
        System.err.println("                                        measure the RabbitMQ fan-out against a plain publisher");
        System.err.println("       java -jar mt5-crm-hub.jar dead-letters list|show ID|replay ID...|replay --all");
        System.err.println("                                        inspect what failed for good and replay it");
        System.err.println("       java -jar mt5-crm-hub.jar reconcile");
        System.err.println("                                        compare MT5 balances with the CRM ledger; exit 1 on any difference");
        System.err.println("       java -jar mt5-crm-hub.jar simulator [--port 8443] [--help]");
        System.err.println("                                        a simulated MT5 trade server speaking the Web API");
        return exitCode;
    }

    /** The hub's Camel main: application.properties, routes/, connectors/, and {@link HubConfiguration}. */
    public static Main newMain(Map<String, String> overrides) {
        Main main = new Main();
        main.setPropertyPlaceholderLocations(PROPERTIES);
        main.configure().addConfiguration(HubConfiguration.class);
        overrides.forEach(main::addOverrideProperty);
        return main;
    }

    private static int runHub(String[] args) {
        Main main = newMain(Map.of());
        try {
            return main.run(args);
        } catch (Exception e) {
            String port = main.getCamelContext() == null ? "8080"
                    : main.getCamelContext().getPropertiesComponent().resolveProperty("hub.http.port").orElse("8080");
            LOG.error("mt5-crm-hub cannot start: {}", StartupFailures.describe(e, port));
            return 1;
        }
    }
}
