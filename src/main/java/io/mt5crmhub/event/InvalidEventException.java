package io.mt5crmhub.event;

/** An event that does not satisfy the contract; the message names the offending field. */
public class InvalidEventException extends IllegalArgumentException {

    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
