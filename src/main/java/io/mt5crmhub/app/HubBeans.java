package io.mt5crmhub.app;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.mt5crmhub.component.HubMeters;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.support.service.ServiceSupport;

/**
 * What the configurers do to the Camel context: bind the beans the YAML routes and connectors name, set the flags
 * the routes' {@code autoStartup} reads, add routes written in Java, and tie resources to the context's life.
 * Beans are bound here once, by hand (a scanned {@code @BindToRegistry} method may run twice).
 */
final class HubBeans {

    /** A step run when the context starts or stops. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private final CamelContext context;

    HubBeans(CamelContext context) {
        this.context = context;
    }

    CamelContext context() {
        return context;
    }

    void bind(String name, Object bean) {
        context.getRegistry().bind(name, bean);
    }

    /** A property the YAML routes read (e.g. {@code autoStartup: "{{hub.rabbitmq.enabled}}"}), derived at start. */
    void flag(String key, boolean value) {
        context.getPropertiesComponent().addOverrideProperty(key, Boolean.toString(value));
    }

    void property(String key, String value) {
        context.getPropertiesComponent().addOverrideProperty(key, value);
    }

    void addRoutes(RoutesBuilder routes) throws Exception {
        context.addRoutes(routes);
    }

    /**
     * Runs {@code onStart} now and {@code onStop} when the context stops. Services stop after the routes have
     * stopped, so a database or broker connection closed here is not closed under a route.
     */
    void startNow(Step onStart, Step onStop) throws Exception {
        context.addService(new Lifecycle(onStart, onStop), true, true);
    }

    /** Runs {@code onStart} when the context starts its services (after every configurer) and {@code onStop} when it stops. */
    void startWithContext(Step onStart, Step onStop) throws Exception {
        context.addService(new Lifecycle(onStart, onStop), true, false);
    }

    /** Registers meters when the context starts (its meter registry is bound by then) and removes them at stop. */
    void metersWithContext(Supplier<HubMeters> register) throws Exception {
        AtomicReference<HubMeters> meters = new AtomicReference<>();
        startWithContext(() -> meters.set(register.get()), () -> {
            HubMeters registered = meters.getAndSet(null);
            if (registered != null) {
                registered.remove();
            }
        });
    }

    /** Closes {@code resource} once the routes have stopped. */
    void closeAtStop(AutoCloseable resource) throws Exception {
        startNow(() -> { }, resource::close);
    }

    /** A service that starts with the context's services (after every configurer) and stops with it. */
    void addService(Object service) throws Exception {
        context.addService(service, true, false);
    }

    private static final class Lifecycle extends ServiceSupport {
        private final Step onStart;
        private final Step onStop;

        Lifecycle(Step onStart, Step onStop) {
            this.onStart = onStart;
            this.onStop = onStop;
        }

        @Override
        protected void doStart() throws Exception {
            onStart.run();
        }

        @Override
        protected void doStop() throws Exception {
            onStop.run();
        }
    }
}
