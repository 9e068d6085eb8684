package io.mt5crmhub.bench;

import java.util.List;
import java.util.Map;

import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis a benchmark's Redis Streams runs write to: streams named after the run, a short dedupe window, and
 * everything the run wrote (streams and dedupe keys) deleted at its end, so a broker's Redis is left as it was.
 */
final class BenchRedis {

    private final String uri;
    private final String prefix;

    /** @param prefix unique to the run: its streams are {@code <prefix>.deals}, ... */
    BenchRedis(String uri, String prefix) {
        this.uri = uri;
        this.prefix = prefix;
    }

    boolean reachable() {
        if (uri == null || uri.isBlank()) {
            return false;
        }
        try (JedisPooled redis = new JedisPooled(java.net.URI.create(uri), 2_000)) {
            return "PONG".equals(redis.ping());
        } catch (JedisException | IllegalArgumentException e) {
            System.out.println("Redis Streams runs: skipped, " + uri + " is not reachable: " + e.getMessage());
            return false;
        }
    }

    /** The hub's settings for the run's streams; on or off is the hub.redis.uri the run sets. */
    Map<String, String> hubSettings() {
        return Map.of("hub.redis.stream.deals", prefix + ".deals", "hub.redis.stream.positions", prefix + ".positions",
                "hub.redis.stream.accounts", prefix + ".accounts", "hub.redis.dedupe-ttl", "10m");
    }

    /** Deletes the run's streams and dedupe keys ({@code {<stream>}:mt5hub:added:<eventId>}). */
    void deleteRunData() {
        if (uri == null || uri.isBlank()) {
            return;
        }
        try (JedisPooled redis = new JedisPooled(java.net.URI.create(uri), 2_000)) {
            for (String pattern : List.of(prefix + ".*", "{" + prefix + ".*")) {
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = redis.scan(cursor, new ScanParams().match(pattern).count(5_000));
                    if (!page.getResult().isEmpty()) {
                        redis.unlink(page.getResult().toArray(String[]::new));
                    }
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
            }
        } catch (JedisException e) {
            System.out.println("the run's Redis streams could not be deleted: " + e.getMessage());
        }
    }
}
