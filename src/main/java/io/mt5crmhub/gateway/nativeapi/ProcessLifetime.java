package io.mt5crmhub.gateway.nativeapi;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Holds what native code may still use until the process ends: the loaded library (an unloaded one crashes the
 * next vtable call) and every sink with its callbacks and memory (a collected callback crashes the library's
 * network thread). Nothing is ever removed; a gateway makes a handful of these per connection.
 */
final class ProcessLifetime {

    private static final Queue<Object> KEPT = new ConcurrentLinkedQueue<>();

    private ProcessLifetime() {
    }

    static <T> T keep(T object) {
        KEPT.add(object);
        return object;
    }
}
