package io.mt5crmhub.component;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.mt5crmhub.component.Subscription.Received;
import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.Mt5Event;

/**
 * The events one consumer's queue could not hold, on disk in arrival order: the hub-side journal that lets a slow or
 * stopped sink fall behind while the gateway goes on at the pace of the others, and catch up later. Numbered segment
 * files in a directory of its own; one writer and one reader, both under the owning {@link Subscription}'s lock.
 * <p>
 * Why our own files and not a queue library or the hub database: the overflow is written only while a sink lags,
 * by the gateway's delivery thread, which must not wait on a transaction or a broker; it needs exactly append, read
 * in order and put back in front. A crash may cost what was read back into memory and the last 64 KiB not yet
 * written out; deals among them are read again from MT5 (the deal checkpoint never passes an overflowed deal, see
 * {@link #oldestDealTime()}), positions and accounts come back with the next start's snapshot.
 * <p>
 * A record is the JSON's length (int), the receive time (long, epoch nanoseconds) and the event's JSON.
 */
final class DiskOverflow implements AutoCloseable {

    private static final String SUFFIX = ".overflow";
    /** Segments are numbered from here up as they are appended, and down as events are put back in front. */
    private static final long FIRST_SEGMENT = 1_000_000_000_000L;
    private static final long SEGMENT_BYTES = 64L << 20;

    private final Path directory;
    private final long maxBytes;
    /** Segment number to its size in bytes; the first is being read, the last written. */
    private final TreeMap<Long, Long> segments = new TreeMap<>();
    private DataOutputStream writer;
    private long writerSegment = -1;
    /** Bytes of each segment already read back (a segment put in front is read before the rest of this one). */
    private final Map<Long, Long> consumed = new HashMap<>();
    private DataInputStream reader;
    private long readerSegment = -1;
    private long count;
    private long bytes;
    private Instant oldestDealTime;

    /**
     * Opens the overflow in {@code directory}, finding the events a previous run left there (read first).
     *
     * @param maxBytes how much it may hold; {@link #isFull()} after that
     */
    DiskOverflow(Path directory, long maxBytes) throws IOException {
        this.directory = directory;
        this.maxBytes = maxBytes;
        Files.createDirectories(directory);
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).toList()) {
                String name = file.getFileName().toString();
                segments.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), Files.size(file));
            }
        }
        for (long segment : segments.keySet()) {
            scanLeftover(segment);
        }
    }

    /** Counts a leftover segment's records and notes its deals' times; a torn last record is cut off. */
    private void scanLeftover(long segment) throws IOException {
        long valid = 0;
        try (DataInputStream in = open(segment)) {
            while (true) {
                Record r = readRecord(in);
                if (r == null) {
                    break;
                }
                valid += r.size();
                count++;
                noteDeal(r.received().event());
            }
        } catch (EOFException | RuntimeException torn) {
            // a record cut by a crash: what follows it cannot be read either
        }
        if (valid < segments.get(segment)) {
            try (var channel = Files.newByteChannel(file(segment), StandardOpenOption.WRITE)) {
                channel.truncate(valid);
            }
            segments.put(segment, valid);
        }
        bytes += valid;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Events on disk, not yet read back. */
    long count() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    boolean isFull() {
        return bytes >= maxBytes;
    }

    /**
     * The oldest deal time written since the overflow was last empty (not only of those still on disk: erring
     * towards re-reading), or null when it holds no deal.
     */
    Instant oldestDealTime() {
        return oldestDealTime;
    }

    void append(Mt5Event event, long receivedAt) throws IOException {
        if (writer == null || segments.get(writerSegment) >= SEGMENT_BYTES) {
            startSegment(segments.isEmpty() ? FIRST_SEGMENT : segments.lastKey() + 1);
        }
        long written = writeRecord(writer, event, receivedAt);
        segments.merge(writerSegment, written, Long::sum);
        count++;
        bytes += written;
        noteDeal(event);
    }

    /** Puts events back in front of everything on disk, in their order (a queue a stop could not drain). */
    void prepend(List<Received> events) throws IOException {
        if (events.isEmpty()) {
            return;
        }
        long segment = segments.isEmpty() ? FIRST_SEGMENT : segments.firstKey() - 1;
        long written = 0;
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file(segment),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)))) {
            for (Received r : events) {
                written += writeRecord(out, r.event(), r.receivedAt());
                noteDeal(r.event());
            }
        }
        segments.put(segment, written);
        count += events.size();
        bytes += written;
    }

    /** Reads up to {@code max} of the oldest events; a segment read to its end is deleted. */
    List<Received> read(int max) throws IOException {
        flush();
        List<Received> events = new ArrayList<>(Math.min(max, (int) Math.min(count, 4096)));
        while (events.size() < max && count > 0) {
            long segment = segments.firstKey();
            long offset = consumed.getOrDefault(segment, 0L);
            if (offset >= segments.get(segment)) {
                if (segment == writerSegment) {
                    throw new IOException("the overflow in " + directory + " counts " + count
                            + " events more than its files hold");
                }
                removeSegment(segment);
                continue;
            }
            if (reader == null || readerSegment != segment) {
                closeReader();
                reader = open(segment);
                reader.skipNBytes(offset);
                readerSegment = segment;
            }
            Record r = readRecord(reader);
            if (r == null) {
                throw new IOException("overflow segment " + file(segment) + " ends before its " + segments.get(segment)
                        + " bytes");
            }
            consumed.put(segment, offset + r.size());
            bytes -= r.size();
            count--;
            events.add(r.received());
        }
        if (count == 0) {
            clear();
        }
        return events;
    }

    /** Makes what was appended visible to the reader (and to a restart after this process ends). */
    void flush() throws IOException {
        if (writer != null) {
            writer.flush();
        }
    }

    @Override
    public void close() {
        try {
            flush();
            if (writer != null) {
                writer.close();
            }
            closeReader();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the overflow in " + directory, e);
        }
    }

    private void startSegment(long segment) throws IOException {
        if (writer != null) {
            writer.close();
        }
        writer = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file(segment),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16));
        writerSegment = segment;
        segments.putIfAbsent(segment, 0L);
    }

    private void removeSegment(long segment) throws IOException {
        if (segment == readerSegment) {
            closeReader();
        }
        segments.remove(segment);
        consumed.remove(segment);
        Files.deleteIfExists(file(segment));
    }

    /** Drops every event it holds, files and all: they are to be read again from MT5. */
    void discard() throws IOException {
        clear();
        count = 0;
    }

    /** Everything was read: the files go, and the next append starts afresh. */
    private void clear() throws IOException {
        closeReader();
        if (writer != null) {
            writer.close();
            writer = null;
        }
        for (long segment : List.copyOf(segments.keySet())) {
            Files.deleteIfExists(file(segment));
        }
        segments.clear();
        consumed.clear();
        writerSegment = -1;
        bytes = 0;
        oldestDealTime = null;
    }

    private void closeReader() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
            readerSegment = -1;
        }
    }

    private void noteDeal(Mt5Event event) {
        if (event.entity() == EntityType.DEAL
                && (oldestDealTime == null || event.occurredAt().isBefore(oldestDealTime))) {
            oldestDealTime = event.occurredAt();
        }
    }

    private DataInputStream open(long segment) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(file(segment)), 1 << 16));
    }

    private Path file(long segment) {
        return directory.resolve(String.format("%019d%s", segment, SUFFIX));
    }

    private static long writeRecord(DataOutputStream out, Mt5Event event, long receivedAt) throws IOException {
        byte[] json = EventJson.writeBytes(event);
        out.writeInt(json.length);
        out.writeLong(receivedAt);
        out.write(json);
        return Integer.BYTES + Long.BYTES + json.length;
    }

    /** One record read back and the bytes it took. */
    private record Record(Received received, int size) {
    }

    /** The next record, or null at the end of the stream. */
    private static Record readRecord(DataInputStream in) throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException end) {
            return null;
        }
        long receivedAt = in.readLong();
        byte[] json = in.readNBytes(length);
        if (json.length < length) {
            throw new EOFException("a record cut short");
        }
        return new Record(new Received(EventJson.read(json), receivedAt), Integer.BYTES + Long.BYTES + length);
    }
}
