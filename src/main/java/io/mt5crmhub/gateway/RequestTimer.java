package io.mt5crmhub.gateway;

/** Told how long each request a gateway sent to its MT5 server took; the component makes a metric of it. */
@FunctionalInterface
public interface RequestTimer {

    RequestTimer NONE = (operation, answered, nanos) -> { };

    /**
     * @param operation what was asked, without parameters (a Web API path such as {@code /api/deal/get_batch})
     * @param answered  false when no answer came (timeout, connection refused)
     */
    void record(String operation, boolean answered, long nanos);
}
