package io.mt5crmhub.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Tells the REST CRM's answers apart for the error policy. The HTTP failure arrives wrapped (the circuit breaker
 * wraps what fails inside it), so the cause chain is searched rather than the top exception.
 */
public final class HttpFailures {

    private HttpFailures() {
    }

    /** The failure is the CRM refusing the request (4xx): retrying the same request cannot succeed. */
    public static boolean isClientError(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return isClientError(find(caught) != null ? caught : exchange.getException());
    }

    /** The same for a failure itself, wherever the HTTP failure sits in its cause chain. */
    public static boolean isClientError(Throwable failure) {
        HttpOperationFailedException http = find(failure);
        return http != null && http.getStatusCode() >= 400 && http.getStatusCode() < 500;
    }

    public static HttpOperationFailedException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http;
            }
        }
        return null;
    }
}
