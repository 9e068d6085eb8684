package io.mt5crmhub.app;

import java.net.BindException;

import io.mt5crmhub.config.ConfigurationException;

/** Turns a start-up failure into the one line an operator needs: the bad key, or the cause. */
final class StartupFailures {

    private StartupFailures() {
    }

    static String describe(Throwable failure, String port) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException) {
                return t.getMessage();
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return "hub.http.port=" + port + ": the port is already in use by another process";
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
