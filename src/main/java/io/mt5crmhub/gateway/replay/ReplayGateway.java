package io.mt5crmhub.gateway.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.InvalidEventException;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.DeliveringEventSource;
import io.mt5crmhub.gateway.DeliveryThread;
import io.mt5crmhub.gateway.GatewayListener;
import io.mt5crmhub.gateway.ServerSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a file of events (the event contract's JSON, one event per line) into the hub as if an MT5 server had
 * sent them, so that any recorded or hand-written sequence (duplicates, out-of-order updates, gaps) goes through
 * the real pipeline. A malformed line (not UTF-8, not an event of the contract, another server's event, longer than
 * {@value #MAX_LINE_BYTES} bytes) is reported with its line number and skipped; the rest still flows.
 * The whole file is played on every connect; what was already applied is absorbed by the event ids.
 * Settings: {@code file} (required), {@code rate} (events per second, 0 = as fast as the hub takes them).
 */
public final class ReplayGateway extends DeliveringEventSource<ReplayGateway.Reader> {

    private static final Logger LOG = LoggerFactory.getLogger(ReplayGateway.class);
    /** An event is a few hundred bytes; a line past this is garbage, and is not read into memory. */
    static final int MAX_LINE_BYTES = 1024 * 1024;

    private final String serverId;
    private final Path file;
    private final double rate;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    /** True from connect to disconnect, also once the whole file is played. */
    private volatile boolean connected;
    private volatile boolean finished;

    ReplayGateway(String serverId, Path file, double rate) {
        this.serverId = serverId;
        this.file = file;
        this.rate = rate;
    }

    public ReplayGateway(String serverId, ReplaySettings settings) {
        this(serverId, settings.file(), settings.rate());
    }

    /** The gateway for {@code mt5.server.<id>.gateway=replay}. */
    public static ReplayGateway create(ServerSettings settings) {
        return new ReplayGateway(settings.id(), ReplaySettings.from(settings));
    }

    @Override
    public String serverId() {
        return serverId;
    }

    @Override
    public String kind() {
        return "replay";
    }

    @Override
    public synchronized void connect(GatewayListener listener) {
        if (connected) {
            return;
        }
        connected = true;
        finished = false;
        listener.onConnected();
        delivery.start(() -> new Reader(listener));
    }

    /** Plays the file once, event by event; the thread ends at the end of the file. */
    final class Reader extends DeliveryThread.Worker {

        private final GatewayListener listener;

        Reader(GatewayListener listener) {
            super("mt5-replay-" + serverId);
            this.listener = listener;
        }

        @Override
        protected void deliverUntilStopped() {
            long nanosPerEvent = rate > 0 ? (long) (1_000_000_000L / rate) : 0;
            long next = System.nanoTime();
            int lineNumber = 0;
            try (JsonLines in = JsonLines.open(file, MAX_LINE_BYTES)) {
                JsonLines.Line line;
                while (isRunning() && (line = in.next()) != null) {
                    lineNumber = line.number();
                    if (line.text() != null && line.text().isBlank()) {
                        continue;
                    }
                    Mt5Event event = parse(line);
                    if (event == null) {
                        continue;
                    }
                    if (nanosPerEvent > 0) {
                        next += nanosPerEvent;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            sleep(Duration.ofNanos(wait));
                        }
                    }
                    if (!awaitTurn()) {
                        break;
                    }
                    listener.onEvent(event);
                    delivered.incrementAndGet();
                }
                LOG.info("Replay of {} for server {} finished: {} events delivered, {} malformed lines skipped", file,
                        serverId, delivered.get(), malformed.get());
            } catch (IOException e) {
                LOG.error("Replay of {} for server {} stopped at line {}: {}", file, serverId, lineNumber,
                        e.getMessage());
                listener.onDisconnected("cannot read " + file + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                finished = true;
            }
        }
    }

    private Mt5Event parse(JsonLines.Line line) {
        if (line.problem() != null) {
            return skip(line, line.problem());
        }
        try {
            Mt5Event event = EventJson.read(line.text());
            if (!serverId.equals(event.server())) {
                return skip(line, "server '" + event.server() + "' is not this replay's server '" + serverId + "'");
            }
            return event;
        } catch (InvalidEventException e) {
            return skip(line, e.getMessage());
        } catch (RuntimeException e) {
            // not the reader's contract, but one unreadable line must not end the replay of the rest
            return skip(line, "unreadable (" + e + ")");
        }
    }

    private Mt5Event skip(JsonLines.Line line, String why) {
        malformed.incrementAndGet();
        LOG.warn("Replay {} line {}: {} (line skipped)", file, line.number(), printable(why));
        return null;
    }

    /** The reason on one log line: it may quote the file, whose control characters and line breaks are escaped. */
    static String printable(String text) {
        String clipped = text == null ? "" : text.length() <= 500 ? text : text.substring(0, 500) + "...";
        StringBuilder b = new StringBuilder(clipped.length());
        clipped.chars().forEach(c -> b.append(Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return b.toString();
    }

    @Override
    public void disconnect() {
        synchronized (this) {
            connected = false; // after a connect in progress, which then is stopped
        }
        super.disconnect();
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    /** The file holds the whole stream and is played on every connect: there is no separate history. */
    @Override
    public List<Mt5Event> dealHistory(Instant from, Instant to) {
        return List.of();
    }

    @Override
    public List<Mt5Event> accounts() {
        return List.of();
    }

    @Override
    public List<Mt5Event> openPositions() {
        return List.of();
    }

    public long deliveredEvents() {
        return delivered.get();
    }

    public long malformedLines() {
        return malformed.get();
    }

    public boolean isFinished() {
        return finished;
    }
}
