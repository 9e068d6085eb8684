package io.mt5crmhub.gateway;

/**
 * The request provably never reached MT5: no connection could be opened, the TLS handshake or the manager's
 * login failed before it was written. Nothing can have changed on the server, so, unlike any other
 * {@link GatewayException}, the operation may be sent again.
 */
public class RequestNotSentException extends GatewayException {

    public RequestNotSentException(int retcode, String message, Throwable cause) {
        super(retcode, message, cause);
    }
}
