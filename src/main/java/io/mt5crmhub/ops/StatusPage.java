package io.mt5crmhub.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The status page's files: an allow-list of request paths, each read once from the hub's own resources or the uPlot
 * webjar. Nothing else is served: not the working directory (application.properties holds secrets), not the rest of
 * the classpath.
 */
final class StatusPage {

    static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

    /** One file: its body and its content type. */
    record Asset(byte[] body, String contentType) {
    }

    private StatusPage() {
    }

    static Map<String, Asset> assets() {
        return Map.of(
                "/", asset("status/index.html", "text/html; charset=utf-8"),
                "/status/status.js", asset("status/status.js", "text/javascript; charset=utf-8"),
                "/status/status.css", asset("status/status.css", "text/css; charset=utf-8"),
                "/status/uPlot.iife.min.js", asset(UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
                "/status/uPlot.min.css", asset(UPLOT + "uPlot.min.css", "text/css; charset=utf-8"));
    }

    private static Asset asset(String resource, String contentType) {
        try (InputStream in = StatusPage.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the status page's file " + resource + " is missing from the jar");
            }
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status page's file " + resource, e);
        }
    }
}
