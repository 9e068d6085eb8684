package io.mt5crmhub.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

import io.mt5crmhub.app.HubMain;
import picocli.CommandLine;

/**
 * {@code java -jar mt5-crm-hub.jar [COMMAND]}: the jar's main class. Reads the command line, runs the command it
 * names ({@code run} when it names none) and ends the JVM with the command's exit code.
 */
public final class HubCli {

    private static final Duration SIGTERM_WAIT = Duration.ofSeconds(60);

    private HubCli() {
    }

    public static void main(String[] args) {
        AtomicInteger exitCode = new AtomicInteger(1);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean exitCalled = new AtomicBoolean();
        // On SIGTERM the JVM would end with 143 as soon as Camel's own hook returns. Wait until the main thread
        // has finished the graceful stop and end with its exit code (0), as service managers expect. Not when the
        // command ended by itself: System.exit carries its code, and a halt would cut the other hooks short (a JFR
        // recording's dump, the last log lines).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (exitCalled.get()) {
                return;
            }
            try {
                if (stopped.await(SIGTERM_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.out.flush();
                    Runtime.getRuntime().halt(exitCode.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hub-exit-code"));
        exitCode.set(commandLine(Path.of(""), HubMain::run).execute(args));
        exitCalled.set(true);
        stopped.countDown();
        System.exit(exitCode.get());
    }

    /**
     * The hub's commands, reading routes/ and connectors/ from {@code workingDirectory}; {@code hub} runs the hub
     * for {@code run} and returns its exit code.
     */
    static CommandLine commandLine(Path workingDirectory, IntSupplier hub) {
        return configure(new CommandLine(new HubCommand())
                .addSubcommand(new RunCommand(workingDirectory, hub))
                .addSubcommand(new BenchCommand(workingDirectory))
                .addSubcommand(new ReconcileCommand())
                .addSubcommand(new DeadLetterCommand())
                .addSubcommand(new SimulatorCommand()));
    }

    /** How every hub command reads its arguments and reports their mistakes and its failures. */
    static CommandLine configure(CommandLine commandLine) {
        return commandLine
                // a repeated option takes its last value, as the commands' own parsers did
                .setOverwrittenOptionsAllowed(true)
                // an argument starting with @ is a value (a password, a comment), not a file of arguments
                .setExpandAtFiles(false)
                .setParameterExceptionHandler(CommandFailures::usageError)
                .setExecutionExceptionHandler(CommandFailures::failed);
    }
}
