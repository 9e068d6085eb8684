package io.mt5crmhub.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A real ZooKeeper server in the test's JVM (the server of the zookeeper jar the hub ships with), on a free loopback
 * port and a fresh data directory. Its tick is 500 ms, so sessions of 2 to 20 s are allowed, and failovers take
 * seconds as with a production ensemble tuned the same way.
 */
public final class ZooKeeperTestServer implements AutoCloseable {

    private final ZooKeeperServerEmbedded server;
    private final int port;
    private final Path dataDir;

    public ZooKeeperTestServer() {
        try {
            port = SimulatorProcess.freePort();
            dataDir = Files.createTempDirectory("zookeeper-test");
            Properties config = new Properties();
            config.setProperty("clientPort", Integer.toString(port));
            config.setProperty("clientPortAddress", "127.0.0.1");
            config.setProperty("dataDir", dataDir.resolve("data").toString());
            config.setProperty("tickTime", "500");
            config.setProperty("admin.enableServer", "false");
            server = ZooKeeperServerEmbedded.builder().baseDir(dataDir).configuration(config)
                    .exitHandler(ExitHandler.LOG_ONLY).build();
            server.start(30_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the ZooKeeper test server did not start: " + e, e);
        }
    }

    public int port() {
        return port;
    }

    /** host:port for hub.cluster.zookeeper.nodes. */
    public String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.close();
    }
}
