package io.mt5crmhub.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The hub as ops run it, {@code java <options> -jar mt5-crm-hub.jar} in a process of its own, for the figure the
 * benchmark's own JVM cannot give: the hub's resident memory. The benchmark's JVM also holds what the benchmark made
 * (the reference's events, the simulator's books), and a heap that grew once is not given back.
 */
final class HubProcessRun {

    private static final long SAMPLE_MS = 100;

    /**
     * {@code maxRss}/{@code endRss}: the process's VmRSS, highest while it ran and when the target was reached (bytes);
     * {@code seconds}: from its start to the target; {@code reached}: whether it got there before the deadline.
     */
    record Result(long maxRss, long endRss, double seconds, boolean reached, String logTail) {
    }

    private HubProcessRun() {
    }

    /** The jar this class runs from, or null when it does not run from one (tests, an IDE). */
    static Path ownJar() {
        try {
            Path location = Path.of(HubProcessRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(location) && location.toString().endsWith(".jar") ? location : null;
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }

    /**
     * Starts the jar with {@code javaOptions} and {@code env} in the working directory, samples its RSS until {@code
     * progress} reaches {@code target} or {@code deadline} passes, then stops it with SIGTERM as a service manager would.
     */
    static Result run(Path jar, List<String> javaOptions, Map<String, String> env, Path log, LongSupplier progress,
            long target, Duration deadline) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        long started = System.nanoTime();
        Process hub = builder.start();
        long maxRss = 0;
        long endRss = 0;
        boolean reached = false;
        try {
            long until = started + deadline.toNanos();
            while (hub.isAlive() && System.nanoTime() < until) {
                endRss = rss(Long.toString(hub.pid()));
                maxRss = Math.max(maxRss, endRss);
                if (progress.getAsLong() >= target) {
                    reached = true;
                    break;
                }
                Thread.sleep(SAMPLE_MS);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            hub.destroy();
            if (!hub.waitFor(60, TimeUnit.SECONDS)) {
                hub.destroyForcibly();
                hub.waitFor();
            }
            return new Result(maxRss, endRss, seconds, reached, tail(log));
        } finally {
            hub.destroyForcibly();
        }
    }

    /** The VmRSS of process {@code pid} ({@code self}: this JVM) in bytes, or -1 when gone or without /proc. */
    static long rss(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
