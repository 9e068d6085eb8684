package io.mt5crmhub.gateway.replay;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A file's lines, split where {@link java.io.BufferedReader#readLine()} splits them ({@code \n}, {@code \r} or
 * {@code \r\n}) but read as bytes and decoded one line at a time: a line that is not UTF-8 is one bad line instead of
 * an exception that ends the file, and a line longer than the limit is passed over without being held in memory.
 */
final class JsonLines implements Closeable {

    /** One line: its text, or why it has none. Numbers start at 1. */
    record Line(int number, String text, String problem) {
    }

    private final InputStream in;
    private final int maxBytes;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private int number;
    private boolean afterCarriageReturn;
    private byte[] line = new byte[1024];
    private int held;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    private JsonLines(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    static JsonLines open(Path file, int maxBytes) throws IOException {
        return new JsonLines(Files.newInputStream(file), maxBytes);
    }

    /**
     * The next line, or null at the end of the file. Scans the buffer for the line's end and copies whole runs of
     * bytes (measured: a byte at a time through a stream was three quarters of the replay gateway's time).
     */
    Line next() throws IOException {
        if (position == limit && !refill()) {
            return null;
        }
        if (afterCarriageReturn) {
            afterCarriageReturn = false;
            if (buffer[position] == '\n' && ++position == limit && !refill()) {
                return null;
            }
        }
        number++;
        long length = 0;
        held = 0;
        while (true) {
            int end = position;
            while (end < limit && buffer[end] != '\n' && buffer[end] != '\r') {
                end++;
            }
            hold(position, end - position, length);
            length += end - position;
            if (end < limit) {
                afterCarriageReturn = buffer[end] == '\r';
                position = end + 1;
                break;
            }
            position = limit;
            if (!refill()) {
                break;
            }
        }
        if (length > maxBytes) {
            return new Line(number, null, "the line is longer than " + maxBytes + " bytes (" + length + ")");
        }
        return decode();
    }

    /** Keeps the bytes of the line that fit in the limit; the rest is only counted. */
    private void hold(int from, int count, long lengthBefore) {
        int take = (int) Math.max(0, Math.min(count, maxBytes - lengthBefore));
        if (held + take > line.length) {
            line = Arrays.copyOf(line, Math.max(held + take, 2 * line.length));
        }
        System.arraycopy(buffer, from, line, held, take);
        held += take;
    }

    private Line decode() {
        ByteBuffer input = ByteBuffer.wrap(line, 0, held);
        try {
            return new Line(number, utf8.decode(input).toString(), null);
        } catch (CharacterCodingException e) {
            return new Line(number, null, "the line is not valid UTF-8 (at byte " + (input.position() + 1) + ")");
        }
    }

    private boolean refill() throws IOException {
        limit = in.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
            limit = 0;
            return false;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
