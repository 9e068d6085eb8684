package io.mt5crmhub.rabbitmq;

/** The broker is not reachable, or the connection was lost before the publisher confirm arrived. */
public class RabbitUnavailableException extends Exception {

    public RabbitUnavailableException(String message) {
        super(message);
    }
}
