package io.mt5crmhub.gateway.simulator.server;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The command line of {@code java -jar mt5-crm-hub.jar simulator}. */
record SimulatorServerOptions(String bind, int port, String serverId, Path dataDir, long seed, double rate, int clients,
        Optional<Instant> startTime, long managerLogin, String managerPassword, int timezoneMinutes,
        Duration sessionTtl, Duration sessionIdle, boolean http, Optional<Path> fingerprintFile,
        Optional<Path> certificateFile, int floodLimit, boolean idle) {

    static final String DEFAULT_PASSWORD = "Simulator-1";
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
    private static final Pattern SERVER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    static final String USAGE = String.join("\n",
            "usage: java -jar mt5-crm-hub.jar simulator [options]",
            "  a simulated MT5 trade server speaking the MT5 Web API (HTTPS, self-signed certificate)",
            "  --port N                 listen port (8443)",
            "  --bind ADDRESS           listen address (127.0.0.1; 0.0.0.0 for every interface)",
            "  --data-dir DIR           the books: <dir>/sim-<id>.mv.db and the TLS key <dir>/sim-<id>-tls.p12 (./data)",
            "  --server-id ID           names the books (webapi)",
            "  --seed N                 random seed (42)",
            "  --rate N                 trading actions per second on the server's own clock (20; 0 = flat out)",
            "  --clients N              CRM clients in a fresh world (50)",
            "  --start-time INSTANT     the simulated clock's start on a fresh world (now), e.g. 2026-11-24T00:00:00Z",
            "  --manager-login N        the manager login the Web API accepts (1000)",
            "  --manager-password PW    its password (" + DEFAULT_PASSWORD + ")",
            "  --timezone-minutes N     the server's time zone: times in answers are UTC plus this (0)",
            "  --session-ttl DURATION   a session ends this long after its login, used or not (0 = never), e.g. 5s",
            "  --session-idle DURATION  a session ends after this long without a request (5m)",
            "  --flood-limit N          requests per second per session before '12 Too frequent requests' (0 = off)",
            "  --idle                   serve the books without trading (a frozen state to inspect or compare)",
            "  --http                   plain HTTP instead of HTTPS (lab only)",
            "  --fingerprint-file FILE  write the certificate's SHA-256 fingerprint here",
            "  --certificate-file FILE  write the certificate (PEM) here, to import into a trust store");

    static SimulatorServerOptions parse(String[] args) {
        String bind = "127.0.0.1";
        int port = 8443;
        String serverId = "webapi";
        Path dataDir = Path.of("data");
        long seed = 42;
        double rate = 20;
        int clients = 50;
        Optional<Instant> startTime = Optional.empty();
        long managerLogin = 1000;
        String managerPassword = DEFAULT_PASSWORD;
        int timezone = 0;
        Duration ttl = Duration.ZERO;
        Duration idle = Duration.ofMinutes(5);
        boolean http = false;
        Optional<Path> fingerprintFile = Optional.empty();
        Optional<Path> certificateFile = Optional.empty();
        int floodLimit = 0;
        boolean noTrading = false;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--http")) {
                http = true;
                continue;
            }
            if (option.equals("--idle")) {
                noTrading = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--port" -> port = (int) number(option, value, 0, 65535); // 0: any free port
                case "--bind" -> bind = value;
                case "--server-id" -> {
                    if (!SERVER_ID.matcher(value).matches()) {
                        throw new IllegalArgumentException(option + " '" + value + "': letters, digits, '-' or '_'");
                    }
                    serverId = value;
                }
                case "--data-dir" -> dataDir = Path.of(value);
                case "--seed" -> seed = number(option, value, Long.MIN_VALUE, Long.MAX_VALUE);
                case "--rate" -> {
                    try {
                        rate = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(option + " '" + value + "' is not a number");
                    }
                    if (!(rate >= 0 && rate <= 100_000)) {
                        throw new IllegalArgumentException(option + " " + value + " is out of range 0..100000");
                    }
                }
                case "--clients" -> clients = (int) number(option, value, 1, 100_000);
                case "--start-time" -> {
                    try {
                        startTime = Optional.of(Instant.parse(value));
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException(option + " '" + value + "' is not an ISO-8601 UTC instant"
                                + " such as 2026-11-24T00:00:00Z");
                    }
                }
                case "--manager-login" -> managerLogin = number(option, value, 1, Long.MAX_VALUE);
                case "--manager-password" -> {
                    if (value.isEmpty()) {
                        throw new IllegalArgumentException(option + " cannot be empty");
                    }
                    managerPassword = value;
                }
                case "--timezone-minutes" -> timezone = (int) number(option, value, -12 * 60, 14 * 60);
                case "--session-ttl" -> ttl = duration(option, value);
                case "--session-idle" -> idle = duration(option, value);
                case "--flood-limit" -> floodLimit = (int) number(option, value, 0, 1_000_000);
                case "--fingerprint-file" -> fingerprintFile = Optional.of(Path.of(value));
                case "--certificate-file" -> certificateFile = Optional.of(Path.of(value));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        if (idle.isZero()) {
            throw new IllegalArgumentException("--session-idle must be more than 0");
        }
        return new SimulatorServerOptions(bind, port, serverId, dataDir, seed, rate, clients, startTime, managerLogin,
                managerPassword, timezone, ttl, idle, http, fingerprintFile, certificateFile, floodLimit, noTrading);
    }

    private static long number(String option, String value, long min, long max) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + value + "' is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(option + " " + n + " is out of range " + min + ".." + max);
        }
        return n;
    }

    private static Duration duration(String option, String value) {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(option + " '" + value + "' is not a duration such as 500ms, 5s, 2m");
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    @Override
    public String toString() {
        return "SimulatorServerOptions[port=" + port + ", serverId=" + serverId + ", dataDir=" + dataDir + ", rate="
                + rate + ", managerLogin=" + managerLogin + ", managerPassword=***]";
    }
}
