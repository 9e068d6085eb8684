package io.mt5crmhub.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged hub ({@code java -jar target/mt5-crm-hub.jar}) running as ops run it: in its own working
 * directory holding application.properties, routes/ and connectors/, configured through environment variables.
 */
public final class HubProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path workDir;
    private final Path log;
    private final Map<String, String> env = new HashMap<>();
    private final int port;
    private Process process;
    private long startedAtNanos;
    private String heap = "512m";

    public HubProcess(Path workDir, int port) {
        this.workDir = workDir;
        this.port = port;
        this.log = workDir.resolve("hub-" + System.nanoTime() + ".log");
        env.put("HUB_HTTP_PORT", Integer.toString(port));
    }

    /** A fresh working directory laid out like the repository root (application.properties, routes, connectors). */
    public static Path prepareWorkDir(String name) {
        try {
            Path dir = Path.of("target", "it", name + "-" + System.nanoTime()).toAbsolutePath();
            Files.createDirectories(dir);
            Files.copy(Path.of("application.properties"), dir.resolve("application.properties"));
            copyTree(Path.of("routes"), dir.resolve("routes"));
            copyTree(Path.of("connectors"), dir.resolve("connectors"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The JVM's -Xmx for the runs that follow. */
    public HubProcess heap(String maxHeap) {
        this.heap = maxHeap;
        return this;
    }

    public long pid() {
        return process.pid();
    }

    public HubProcess env(String key, String value) {
        env.put(key, value);
        return this;
    }

    public HubProcess start() {
        ProcessBuilder pb = javaJar().redirectOutput(log.toFile());
        try {
            startedAtNanos = System.nanoTime();
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A finished run of one of the jar's commands. */
    public record CommandRun(int exitCode, String output) {
    }

    /** Runs {@code java -jar mt5-crm-hub.jar <args>} in this hub's directory with its environment, to the end. */
    public CommandRun command(String... args) throws IOException, InterruptedException {
        Process run = javaJar(args).start();
        String output = new String(run.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!run.waitFor(120, TimeUnit.SECONDS)) {
            run.destroyForcibly();
            throw new IllegalStateException("'" + String.join(" ", args) + "' did not end within 120 s:\n" + output);
        }
        return new CommandRun(run.exitValue(), output);
    }

    /** {@code java -jar mt5-crm-hub.jar <args>} in this hub's directory, with its environment. */
    private ProcessBuilder javaJar(String... args) {
        String jar = System.getProperty("hub.jar", "target/mt5-crm-hub.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-jar", Path.of(jar).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        return pb;
    }

    public Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startedAtNanos);
    }

    /** The health endpoint's status code and body, or null while nothing answers. */
    public HttpResponse<String> health() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health?data=true"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A GET of {@code path} (e.g. {@code /status.json}) on the hub's port, waiting at most 10 s for the answer. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A scrape of {@code /observe/metrics}. */
    public PrometheusText metrics() throws IOException, InterruptedException {
        return new PrometheusText(get("/observe/metrics").body());
    }

    /** Exchanges a route has completed, from the Prometheus metrics; -1 while nothing answers. */
    public long routeExchangesSucceeded(String routeId) {
        return (long) metricSum("camel_exchanges_succeeded_total", "routeId=\"" + routeId + "\"");
    }

    /** The sum of a Prometheus metric's samples whose labels contain {@code label}; -1 while nothing answers. */
    public double metricSum(String metric, String label) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/observe/metrics")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.body().lines()
                    .filter(l -> (l.startsWith(metric + "{") || l.startsWith(metric + " ")) && l.contains(label))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * What the hub holds on to, in bytes: the live objects {@code jcmd <pid> GC.class_histogram} counts after the full
     * GC it runs first. Not the JVM's own figures: {@code jvm_gc_live_data_size_bytes} read after a {@code GC.run}
     * was measured at 79 MB while the histogram taken at that moment counted about 40 (a scrape can see another
     * collection's figure), and the heap in use grows by tens of MB between a GC and a scrape while the hub works.
     */
    public long heapUsedAfterGc() throws IOException, InterruptedException {
        Process histogram = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid()), "GC.class_histogram").redirectErrorStream(true).start();
        String text = new String(histogram.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        histogram.waitFor(60, TimeUnit.SECONDS);
        // its last line: "Total <instances> <bytes>"
        return text.lines().filter(line -> line.startsWith("Total")).map(line -> line.trim().split("\\s+"))
                .filter(fields -> fields.length == 3).mapToLong(fields -> Long.parseLong(fields[2])).findFirst()
                .orElseThrow(() -> new IOException("no Total line in the class histogram of the hub:\n" + text));
    }

    public boolean isHealthUp() {
        HttpResponse<String> r = health();
        return r != null && r.statusCode() == 200 && r.body().startsWith("{\"status\":\"UP\"");
    }

    /** Sends SIGTERM, as ops' service manager does. */
    public void terminate() {
        process.destroy();
    }

    /** @return the exit code, or null when the process did not exit in time */
    public Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The lines of its log at level ERROR. */
    public List<String> errorLines() {
        return output().lines().filter(l -> l.contains(" ERROR ") || l.startsWith("ERROR")).toList();
    }

    /**
     * What a stuck hub was doing, for a failure message: its last warnings and errors (first line of each) and the
     * stacks of its Camel and MT5 threads, as {@code jstack} prints them.
     */
    public String diagnosis() {
        List<String> problems = output().lines()
                .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
                .map(line -> line.length() > 300 ? line.substring(0, 300) + "..." : line)
                .toList();
        StringBuilder text = new StringBuilder("\n--- last warnings and errors of the hub (").append(log).append(")\n");
        problems.subList(Math.max(0, problems.size() - 40), problems.size())
                .forEach(line -> text.append(line).append('\n'));
        text.append("--- its Camel and MT5 threads\n");
        if (!isAlive()) {
            return text.append("(the hub has exited)\n").toString();
        }
        try {
            Process jstack = new ProcessBuilder("jstack", Long.toString(pid())).redirectErrorStream(true).start();
            String dump = new String(jstack.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jstack.waitFor(30, TimeUnit.SECONDS);
            for (String thread : dump.split("\n\n")) {
                if (thread.startsWith("\"Camel") || thread.startsWith("\"mt5") || thread.startsWith("\"idempotency")) {
                    thread.lines().limit(14).forEach(line -> text.append(line).append('\n'));
                }
            }
        } catch (IOException e) {
            text.append("jstack failed: ").append(e).append('\n');
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return text.toString();
    }

    public Path workDir() {
        return workDir;
    }

    /** A database under the working directory's data/, to read once the hub has stopped. */
    public String h2Url(String database) {
        return "jdbc:h2:file:" + workDir.resolve("data").resolve(database);
    }

    @Override
    public void close() {
        ChildProcesses.kill(process);
    }
}
