package io.mt5crmhub.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ShutdownSignalException;
import io.mt5crmhub.rabbitmq.RabbitTopology;

/**
 * The machine's real RabbitMQ (127.0.0.1:5672, guest/guest) for integration tests: a durable quorum queue of the
 * test's own, bound to mt5.events for the test's unique server id, read back message by message.
 */
public final class RabbitTestBroker implements AutoCloseable {

    public static final String URI = "amqp://guest:guest@127.0.0.1:5672/";
    private static final int DRAIN_PREFETCH = 2000;
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    private final Connection connection;
    private final Channel channel;
    private final List<String> queues = new ArrayList<>();

    public RabbitTestBroker() throws IOException, TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setAutomaticRecoveryEnabled(true);
        connection = factory.newConnection("mt5-crm-hub tests");
        channel = connection.createChannel();
        RabbitTopology.declare(channel);
    }

    /** A broker for a test's field ({@code @AutoClose}): connects now, unchecked. */
    public static RabbitTestBroker connect() {
        try {
            return new RabbitTestBroker();
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("RabbitMQ on 127.0.0.1:5672 does not answer: " + e, e);
        }
    }

    /** A server id no other test or run uses, so routing keys reach only this test's queue. */
    public static String uniqueServerId(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** A durable quorum queue (it survives a broker restart) bound to mt5.events with the given pattern. */
    public String queueFor(String bindingKey) throws IOException {
        String queue = "test." + UUID.randomUUID();
        channel.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
        channel.queueBind(queue, RabbitTopology.EXCHANGE, bindingKey);
        queues.add(queue);
        return queue;
    }

    public long count(String queue) throws IOException {
        return channel.messageCount(queue);
    }

    /**
     * Takes every message now in the queue, pushed by a consumer with a deep prefetch on a channel of its own: one
     * {@code basic.get} per message took minutes for the tens of thousands a fault scenario leaves on a loaded
     * machine, and a channel opened before a broker restart may be the one that did not recover. Messages are
     * acknowledged as they are taken (which keeps the prefetch window open) and every acknowledged one is returned,
     * also when the connection drops meanwhile; what was not acknowledged goes back to the queue for the next drain.
     */
    public List<GetResponse> drain(String queue) throws IOException {
        List<GetResponse> acknowledged = new ArrayList<>();
        try (Channel drain = connection.createChannel()) {
            long waiting = drain.messageCount(queue);
            if (waiting == 0) {
                return acknowledged;
            }
            BlockingQueue<GetResponse> received = new LinkedBlockingQueue<>();
            drain.basicQos(DRAIN_PREFETCH);
            String tag = drain.basicConsume(queue, false, (consumerTag, delivery) -> received.add(new GetResponse(
                    delivery.getEnvelope(), delivery.getProperties(), delivery.getBody(), 0)), consumerTag -> { });
            List<GetResponse> taken = new ArrayList<>();
            long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
            while (acknowledged.size() + taken.size() < waiting && System.nanoTime() < deadline) {
                GetResponse next = received.poll(100, TimeUnit.MILLISECONDS);
                if (next != null) {
                    taken.add(next);
                    if (taken.size() == DRAIN_PREFETCH / 2) {
                        acknowledge(drain, taken, acknowledged);
                    }
                }
            }
            drain.basicCancel(tag);
            received.drainTo(taken);
            acknowledge(drain, taken, acknowledged);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | ShutdownSignalException e) {
            // the connection dropped or is still recovering from a broker restart: the next drain takes the rest
        }
        return acknowledged;
    }

    /** Acknowledges everything in {@code taken} at once and moves it to {@code acknowledged}. */
    private static void acknowledge(Channel channel, List<GetResponse> taken, List<GetResponse> acknowledged)
            throws IOException {
        if (!taken.isEmpty()) {
            channel.basicAck(taken.get(taken.size() - 1).getEnvelope().getDeliveryTag(), true);
            acknowledged.addAll(taken);
            taken.clear();
        }
    }

    public Channel channel() {
        return channel;
    }

    /** Stops and starts the RabbitMQ application on this machine (rabbitmqctl), like a broker restart. */
    public static void restartBroker(long downMillis) throws IOException, InterruptedException {
        stopBroker();
        try {
            Thread.sleep(downMillis); // the outage being simulated, not a wait for a result
        } finally {
            startBroker();
        }
    }

    /** Stops the RabbitMQ application (the node stays up to start it again): every connection to it drops. */
    public static void stopBroker() throws IOException, InterruptedException {
        run("rabbitmqctl", "stop_app");
    }

    public static void startBroker() throws IOException, InterruptedException {
        run("rabbitmqctl", "start_app");
        run("rabbitmqctl", "await_startup");
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    @Override
    public void close() throws IOException, TimeoutException {
        for (String queue : queues) {
            try {
                channel.queueDelete(queue);
            } catch (IOException e) {
                // the queue is gone with the broker's data; nothing to clean
            }
        }
        connection.close();
    }
}
