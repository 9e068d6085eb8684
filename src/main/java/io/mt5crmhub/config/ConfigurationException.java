package io.mt5crmhub.config;

/** A bad or missing setting. The message names the key and never contains a secret. */
public class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
