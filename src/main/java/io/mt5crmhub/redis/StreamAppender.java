package io.mt5crmhub.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.EventJson;
import io.mt5crmhub.event.Mt5Event;
import redis.clients.jedis.UnifiedJedis;

/**
 * Appends a list of events to their entity's stream in one Lua script, so one round trip and one atomic step per list,
 * each event once: a key per event id (kept {@code dedupeTtl}) says it was added, and an event whose key exists is
 * passed over. The script checks the key, adds the entry, then sets the key: Redis does not roll back a script, so a
 * failed {@code XADD} leaves no key behind (setting the key first would drop the event for good).
 * <p>
 * Stream entries have the fields {@code eventId}, {@code type} and {@code event} (the event's JSON). The keys share the
 * stream's hash tag, so script and stream live on one Redis Cluster slot.
 */
final class StreamAppender {

    /**
     * KEYS[1] the stream, KEYS[1 + i] event i's dedupe key; ARGV[1] MAXLEN (0: none), ARGV[2] the keys' TTL in seconds,
     * then eventId, type and JSON per event. Answers per event: the entry id, 0 when added before, or "ERR ..." with
     * Redis's answer when the stream refused it (WRONGTYPE: its key holds another type). Any other refusal is Redis's
     * as a whole (OOM under noeviction, READONLY, ...), not the event's: the script stops with it, the entries added
     * so far keep their keys, and the list is sent again later. An entry whose key cannot be set (the XADD took the
     * last memory below maxmemory) is deleted again before the script stops, or the next try would add it twice.
     */
    private static final String SCRIPT = """
            local out = {}
            local maxlen = tonumber(ARGV[1])
            for i = 2, #KEYS do
              local a = 3 + (i - 2) * 3
              if redis.call('EXISTS', KEYS[i]) == 1 then
                out[i - 1] = 0
              else
                local added
                if maxlen > 0 then
                  added = redis.pcall('XADD', KEYS[1], 'MAXLEN', '~', maxlen, '*', 'eventId', ARGV[a], 'type', ARGV[a + 1], 'event', ARGV[a + 2])
                else
                  added = redis.pcall('XADD', KEYS[1], '*', 'eventId', ARGV[a], 'type', ARGV[a + 1], 'event', ARGV[a + 2])
                end
                if type(added) == 'table' and added.err then
                  if string.sub(added.err, 1, 9) ~= 'WRONGTYPE' then
                    return redis.error_reply(added.err)
                  end
                  out[i - 1] = 'ERR ' .. added.err
                else
                  local marked = redis.pcall('SET', KEYS[i], added, 'EX', ARGV[2])
                  if type(marked) == 'table' and marked.err then
                    redis.call('XDEL', KEYS[1], added)
                    return redis.error_reply(marked.err)
                  end
                  out[i - 1] = added
                end
              end
            end
            return out
            """;

    /** What became of one list. */
    record Outcome(int added, int duplicates, Map<Mt5Event, String> refused) {
    }

    private final Map<EntityType, String> streams;
    private final long maxLen;
    private final long dedupeTtlSeconds;

    StreamAppender(Map<EntityType, String> streams, long maxLen, long dedupeTtlSeconds) {
        this.streams = Map.copyOf(streams);
        this.maxLen = maxLen;
        this.dedupeTtlSeconds = dedupeTtlSeconds;
    }

    /** The stream an entity's events go to. */
    String streamOf(EntityType entity) {
        String stream = streams.get(entity);
        if (stream == null) {
            throw new IllegalArgumentException("no Redis stream for " + entity.wireName() + " events");
        }
        return stream;
    }

    /** The key that marks an event as added: the stream's hash tag, so it lives on the stream's cluster slot. */
    String dedupeKey(String stream, String eventId) {
        return "{" + stream + "}:mt5hub:added:" + eventId;
    }

    /**
     * Appends the events (in their order) and answers for each. A connection failure, or Redis refusing the script
     * as a whole (out of memory, loading, read-only replica), throws: nothing of the list is known, and sending it
     * again is safe.
     */
    Outcome append(UnifiedJedis redis, List<Mt5Event> events) {
        Map<String, List<Mt5Event>> byStream = new LinkedHashMap<>();
        for (Mt5Event event : events) {
            byStream.computeIfAbsent(streamOf(event.entity()), s -> new ArrayList<>()).add(event);
        }
        int added = 0;
        int duplicates = 0;
        Map<Mt5Event, String> refused = new LinkedHashMap<>();
        for (Map.Entry<String, List<Mt5Event>> stream : byStream.entrySet()) {
            List<Mt5Event> list = stream.getValue();
            List<String> keys = new ArrayList<>(list.size() + 1);
            List<String> args = new ArrayList<>(3 * list.size() + 2);
            keys.add(stream.getKey());
            args.add(Long.toString(maxLen));
            args.add(Long.toString(dedupeTtlSeconds));
            for (Mt5Event event : list) {
                keys.add(dedupeKey(stream.getKey(), event.eventId()));
                args.add(event.eventId());
                args.add(event.type().toString());
                args.add(EventJson.write(event));
            }
            List<?> answers = (List<?>) redis.eval(SCRIPT, keys, args);
            for (int i = 0; i < list.size(); i++) {
                Object answer = answers.get(i);
                if (answer instanceof Long zero && zero == 0) {
                    duplicates++;
                } else if (answer instanceof String text && text.startsWith("ERR ")) {
                    refused.put(list.get(i), "Redis refused the entry in " + stream.getKey() + ": " + text.substring(4));
                } else {
                    added++;
                }
            }
        }
        return new Outcome(added, duplicates, refused);
    }
}
