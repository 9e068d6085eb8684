package io.mt5crmhub.gateway.replay;

import java.io.ByteArrayOutputStream;
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

    private JsonLines(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    static JsonLines open(Path file, int maxBytes) throws IOException {
        return new JsonLines(Files.newInputStream(file), maxBytes);
    }

    /** The next line, or null at the end of the file. */
    Line next() throws IOException {
        int b = read();
        if (afterCarriageReturn && b == '\n') {
            b = read();
        }
        afterCarriageReturn = false;
        if (b < 0) {
            return null;
        }
        number++;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        long length = 0;
        while (b >= 0 && b != '\n' && b != '\r') {
            if (length++ < maxBytes) {
                bytes.write(b);
            }
            b = read();
        }
        afterCarriageReturn = b == '\r';
        if (length > maxBytes) {
            return new Line(number, null, "the line is longer than " + maxBytes + " bytes (" + length + ")");
        }
        return decode(bytes.toByteArray());
    }

    private Line decode(byte[] bytes) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes);
        try {
            return new Line(number, utf8.decode(input).toString(), null);
        } catch (CharacterCodingException e) {
            return new Line(number, null, "the line is not valid UTF-8 (at byte " + (input.position() + 1) + ")");
        }
    }

    private int read() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
