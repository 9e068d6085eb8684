package io.mt5crmhub.gateway.webapi;

import io.mt5crmhub.gateway.GatewayException;
import io.mt5crmhub.gateway.Mt5Retcode;

/** A Web API request that did not give an answer the caller can use; {@link #kind()} says what to do about it. */
public class WebApiException extends GatewayException {

    public enum Kind {
        /** The server could not be reached or the connection broke: retry later, with backoff. */
        UNREACHABLE,
        /** No answer in time: for a balance operation the outcome is unknown. */
        TIMEOUT,
        /** The server refused the manager's login (wrong login or password, no API rights, 403 after re-login). */
        AUTH_REFUSED,
        /** The server's certificate is not trusted by the configured TLS settings. */
        TLS_UNTRUSTED,
        /** MT5's flood control ({@code 12 Too frequent requests}, HTTP 429): slow down. */
        FLOOD,
        /** The server answered with an error retcode. */
        REFUSED,
        /** The answer could not be understood. */
        PROTOCOL
    }

    private final Kind kind;
    private final boolean requestNotSent;

    public WebApiException(Kind kind, int retcode, String message) {
        this(kind, retcode, message, null, false);
    }

    public WebApiException(Kind kind, int retcode, String message, Throwable cause) {
        this(kind, retcode, message, cause, false);
    }

    private WebApiException(Kind kind, int retcode, String message, Throwable cause, boolean requestNotSent) {
        super(retcode, message, cause);
        this.kind = kind;
        this.requestNotSent = requestNotSent;
    }

    /** The same failure, known to have happened before the request was written (see {@link #requestNotSent()}). */
    WebApiException beforeTheRequest() {
        return requestNotSent ? this : new WebApiException(kind, retcode(), getMessage(), getCause(), true);
    }

    /**
     * The request provably never reached the server: the connection was refused or not opened in time, the TLS
     * handshake or the login failed, or the server turned the session away (403) before running it.
     */
    public boolean requestNotSent() {
        return requestNotSent;
    }

    static WebApiException protocol(String message) {
        return new WebApiException(Kind.PROTOCOL, Mt5Retcode.ERROR, message);
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the server may still be there and simply failed this request (as opposed to being away). */
    public boolean serverAnswered() {
        return kind == Kind.REFUSED || kind == Kind.FLOOD || kind == Kind.PROTOCOL || kind == Kind.AUTH_REFUSED;
    }
}
