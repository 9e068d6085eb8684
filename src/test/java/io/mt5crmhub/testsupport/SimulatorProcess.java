package io.mt5crmhub.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The simulator as a separate MT5 server: {@code java -jar target/mt5-crm-hub.jar simulator}, on its own data
 * directory and port, as an integrator runs it. Its books can be read once it has stopped.
 */
public final class SimulatorProcess implements AutoCloseable {

    public static final String MANAGER_PASSWORD = "Manager-Pa55";

    private final Path dataDir;
    private final int port;
    private final Path fingerprintFile;
    private Process process;
    private Path log;

    public SimulatorProcess(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
        this.fingerprintFile = dataDir.resolve("fingerprint.txt");
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server and waits until it has written its certificate's fingerprint (it then listens). */
    public SimulatorProcess start(String... extraArgs) throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        Files.deleteIfExists(fingerprintFile);
        String jar = System.getProperty("hub.jar", "target/mt5-crm-hub.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", Path.of(jar).toAbsolutePath().toString(), "simulator",
                "--port", Integer.toString(port), "--data-dir", dataDir.toString(),
                "--manager-password", MANAGER_PASSWORD, "--fingerprint-file", fingerprintFile.toString()));
        command.addAll(List.of(extraArgs));
        log = dataDir.resolve("simulator-" + System.nanoTime() + ".log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(fingerprintFile)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the simulator did not start:\n" + output());
            }
            Thread.sleep(100);
        }
        return this;
    }

    public String fingerprint() throws IOException {
        return Files.readString(fingerprintFile, StandardCharsets.UTF_8).trim();
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    /** SIGTERM: the server closes its books and exits. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the simulator did not stop on SIGTERM:\n" + output());
        }
    }

    /** SIGKILL: as if the machine lost power, mid-action. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public String output() {
        try {
            return log == null ? "" : Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Every deal ticket in the books, read from the H2 file directly (not through the Web API); needs it stopped. */
    public List<Long> bookTickets() throws SQLException {
        List<Long> tickets = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("sim-webapi"), "sa", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT ticket FROM sim_deal ORDER BY ticket")) {
            while (rs.next()) {
                tickets.add(rs.getLong(1));
            }
        }
        return tickets;
    }

    /** How many deals of the books carry this comment (a balance operation's reference); needs it stopped. */
    public int dealsWithComment(String comment) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("sim-webapi"), "sa", "");
             java.sql.PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sim_deal WHERE comment = ?")) {
            ps.setString(1, comment);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** How many deals the books hold made between these two instants; needs it stopped. */
    public int dealsMadeBetween(java.time.Instant from, java.time.Instant to) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("sim-webapi"), "sa", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sim_deal WHERE"
                     + " time_ms BETWEEN " + from.toEpochMilli() + " AND " + to.toEpochMilli())) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public void close() {
        ChildProcesses.kill(process);
    }
}
