package io.mt5crmhub.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.StreamEntry;

/**
 * The machine's Redis (127.0.0.1:6379, which .ci/run starts when it is down), for the Redis Streams sink's tests:
 * stream names of their own per test, read back whole, and every key of the test deleted at the end.
 */
public final class RedisTestServer implements AutoCloseable {

    public static final int PORT = 6379;
    public static final String URI = "redis://127.0.0.1:" + PORT;

    private final JedisPooled redis = new JedisPooled(URI);
    private final String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8);

    /** A stream name no other test uses. */
    public String stream(String name) {
        return prefix + "." + name;
    }

    public JedisPooled client() {
        return redis;
    }

    /** Every entry of the stream, oldest first, as its fields. */
    public List<Map<String, String>> entries(String stream) {
        List<Map<String, String>> all = new ArrayList<>();
        for (StreamEntry entry : redis.xrange(stream, "-", "+")) {
            all.add(entry.getFields());
        }
        return all;
    }

    /** The eventId field of every entry, oldest first. */
    public List<String> eventIds(String stream) {
        return entries(stream).stream().map(fields -> fields.get("eventId")).toList();
    }

    @Override
    public void close() {
        // the streams and the dedupe keys ({<stream>}:mt5hub:added:<eventId>) of this test
        for (String pattern : List.of(prefix + ".*", "{" + prefix + ".*")) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = redis.scan(cursor, new ScanParams().match(pattern).count(1000));
                if (!page.getResult().isEmpty()) {
                    redis.del(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        redis.close();
    }
}
