package io.mt5crmhub.gateway.simulator.server;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

import io.mt5crmhub.config.Durations;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The options of {@code java -jar mt5-crm-hub.jar simulator}: a picocli mixin the {@code simulator} command uses,
 * and {@link #parse} for tests and tools that start a server from an argument list. Each option is checked as it
 * is read, with a message naming the option and the bad value.
 */
public final class SimulatorServerOptions {

    static final String DEFAULT_PASSWORD = "Simulator-1";
    private static final Pattern SERVER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** The command that uses these options, to report a bad value against. */
    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    private String bind;
    private int port;
    private String serverId;
    private Path dataDir;
    private long seed;
    private double rate;
    private int clients;
    private Optional<Instant> startTime = Optional.empty();
    private long managerLogin;
    private String managerPassword;
    private int timezoneMinutes;
    private Duration sessionTtl;
    private Duration sessionIdle;
    private int floodLimit;
    private Optional<Path> fingerprintFile = Optional.empty();
    private Optional<Path> certificateFile = Optional.empty();

    @Option(names = "--idle", description = "serve the books without trading (a frozen state to inspect or compare)")
    private boolean idle;

    @Option(names = "--http", description = "plain HTTP instead of HTTPS (lab only)")
    private boolean http;

    /** For tests and tools: the options of an argument list, as the {@code simulator} command reads them. */
    static SimulatorServerOptions parse(String[] args) {
        Standalone standalone = new Standalone();
        try {
            new CommandLine(standalone).setOverwrittenOptionsAllowed(true).parseArgs(args);
        } catch (UnmatchedArgumentException e) {
            throw new IllegalArgumentException("unknown option " + e.getUnmatched().get(0), e);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return standalone.options;
    }

    @Command(name = "simulator")
    private static final class Standalone {
        @Mixin
        private SimulatorServerOptions options;
    }

    @Option(names = "--port", paramLabel = "N", defaultValue = "8443", description = "listen port (${DEFAULT-VALUE};"
            + " 0 = any free port)")
    private void port(String value) {
        port = (int) number("--port", value, 0, 65535);
    }

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "listen address (${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
    private void bind(String value) {
        bind = value;
    }

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data", description = "the books:"
            + " <dir>/sim-<id>.mv.db and the TLS key <dir>/sim-<id>-tls.p12 (./${DEFAULT-VALUE})")
    private void dataDir(String value) {
        dataDir = Path.of(value);
    }

    @Option(names = "--server-id", paramLabel = "ID", defaultValue = "webapi",
            description = "names the books (${DEFAULT-VALUE})")
    private void serverId(String value) {
        if (!SERVER_ID.matcher(value).matches()) {
            throw invalid("--server-id '" + value + "': letters, digits, '-' or '_'");
        }
        serverId = value;
    }

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "random seed (${DEFAULT-VALUE})")
    private void seed(String value) {
        seed = number("--seed", value, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Option(names = "--rate", paramLabel = "N", defaultValue = "20", description = "trading actions per second on the"
            + " server's own clock (${DEFAULT-VALUE}; 0 = flat out)")
    private void rate(String value) {
        double n;
        try {
            n = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw invalid("--rate '" + value + "' is not a number");
        }
        if (!(n >= 0 && n <= 100_000)) {
            throw invalid("--rate " + value + " is out of range 0..100000");
        }
        rate = n;
    }

    @Option(names = "--clients", paramLabel = "N", defaultValue = "50",
            description = "CRM clients in a fresh world (${DEFAULT-VALUE})")
    private void clients(String value) {
        clients = (int) number("--clients", value, 1, 100_000);
    }

    @Option(names = "--start-time", paramLabel = "INSTANT", description = "the simulated clock's start on a fresh"
            + " world (now), e.g. 2026-11-24T00:00:00Z")
    private void startTime(String value) {
        try {
            startTime = Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            throw invalid("--start-time '" + value + "' is not an ISO-8601 UTC instant such as 2026-11-24T00:00:00Z");
        }
    }

    @Option(names = "--manager-login", paramLabel = "N", defaultValue = "1000",
            description = "the manager login the Web API accepts (${DEFAULT-VALUE})")
    private void managerLogin(String value) {
        managerLogin = number("--manager-login", value, 1, Long.MAX_VALUE);
    }

    @Option(names = "--manager-password", paramLabel = "PW", defaultValue = DEFAULT_PASSWORD,
            description = "its password (${DEFAULT-VALUE})")
    private void managerPassword(String value) {
        if (value.isEmpty()) {
            throw invalid("--manager-password cannot be empty");
        }
        managerPassword = value;
    }

    @Option(names = "--timezone-minutes", paramLabel = "N", defaultValue = "0",
            description = "the server's time zone: times in answers are UTC plus this (${DEFAULT-VALUE})")
    private void timezoneMinutes(String value) {
        timezoneMinutes = (int) number("--timezone-minutes", value, -12 * 60, 14 * 60);
    }

    @Option(names = "--session-ttl", paramLabel = "DURATION", defaultValue = "0", description = "a session ends this"
            + " long after its login, used or not (${DEFAULT-VALUE} = never), e.g. 5s")
    private void sessionTtl(String value) {
        sessionTtl = duration("--session-ttl", value);
    }

    @Option(names = "--session-idle", paramLabel = "DURATION", defaultValue = "5m",
            description = "a session ends after this long without a request (${DEFAULT-VALUE})")
    private void sessionIdle(String value) {
        Duration idleLimit = duration("--session-idle", value);
        if (idleLimit.isZero()) {
            throw invalid("--session-idle must be more than 0");
        }
        sessionIdle = idleLimit;
    }

    @Option(names = "--flood-limit", paramLabel = "N", defaultValue = "0", description = "requests per second per"
            + " session before '12 Too frequent requests' (${DEFAULT-VALUE} = off)")
    private void floodLimit(String value) {
        floodLimit = (int) number("--flood-limit", value, 0, 1_000_000);
    }

    @Option(names = "--fingerprint-file", paramLabel = "FILE",
            description = "write the certificate's SHA-256 fingerprint here")
    private void fingerprintFile(String value) {
        fingerprintFile = Optional.of(Path.of(value));
    }

    @Option(names = "--certificate-file", paramLabel = "FILE",
            description = "write the certificate (PEM) here, to import into a trust store")
    private void certificateFile(String value) {
        certificateFile = Optional.of(Path.of(value));
    }

    private long number(String option, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw invalid(option + " '" + value + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw invalid(option + " " + n + " is out of range " + min + ".." + max);
        }
        return n;
    }

    private Duration duration(String option, String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw invalid(option + " '" + value + "' is not a duration such as " + Durations.EXAMPLES);
        }
    }

    private ParameterException invalid(String message) {
        return new ParameterException(command.commandLine(), message);
    }

    String bind() {
        return bind;
    }

    int port() {
        return port;
    }

    String serverId() {
        return serverId;
    }

    Path dataDir() {
        return dataDir;
    }

    long seed() {
        return seed;
    }

    double rate() {
        return rate;
    }

    int clients() {
        return clients;
    }

    Optional<Instant> startTime() {
        return startTime;
    }

    long managerLogin() {
        return managerLogin;
    }

    String managerPassword() {
        return managerPassword;
    }

    int timezoneMinutes() {
        return timezoneMinutes;
    }

    Duration sessionTtl() {
        return sessionTtl;
    }

    Duration sessionIdle() {
        return sessionIdle;
    }

    boolean http() {
        return http;
    }

    Optional<Path> fingerprintFile() {
        return fingerprintFile;
    }

    Optional<Path> certificateFile() {
        return certificateFile;
    }

    int floodLimit() {
        return floodLimit;
    }

    boolean idle() {
        return idle;
    }

    @Override
    public String toString() {
        return "SimulatorServerOptions[port=" + port + ", serverId=" + serverId + ", dataDir=" + dataDir + ", rate="
                + rate + ", managerLogin=" + managerLogin + ", managerPassword=***]";
    }
}
