package io.mt5crmhub.testsupport;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import redis.clients.jedis.JedisPooled;

/**
 * A redis-server of a test's own (Debian's, the machine's Redis binary) on a free port with its files in a directory
 * of the test, for what the shared one must not do: be killed, restarted, or short of memory. Started with AOF
 * persistence or none.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final Path dir;
    private final List<String> options;
    private final int port;
    private Process process;

    private RedisServerProcess(Path dir, List<String> options) {
        this.dir = dir;
        this.options = options;
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * AOF with {@code appendfsync everysec}, Redis's default: Redis writes the AOF before it answers, so what it
     * acknowledged survives the process being killed (a machine crash could lose the last second, not tested here).
     */
    public static RedisServerProcess persistent(Path dir, String... more) {
        List<String> options = new ArrayList<>(List.of("--appendonly", "yes", "--appendfsync", "everysec"));
        options.addAll(List.of(more));
        return new RedisServerProcess(dir, options).start();
    }

    public static RedisServerProcess inMemory(Path dir, String... more) {
        List<String> options = new ArrayList<>(List.of("--appendonly", "no"));
        options.addAll(List.of(more));
        return new RedisServerProcess(dir, options).start();
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts it again on the same port and files (after {@link #kill()}), and waits until it answers. */
    public RedisServerProcess start() {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--dir", dir.toString(), "--save", "", "--daemonize", "no"));
        command.addAll(options);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run redis-server: " + e.getMessage(), e);
        }
        try (JedisPooled client = new JedisPooled(uri())) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "PONG".equals(client.ping()));
        }
        return this;
    }

    /** SIGKILL: no shutdown save, no goodbye to clients. */
    public void kill() {
        ChildProcesses.kill(process);
    }

    @Override
    public void close() {
        kill();
    }
}
