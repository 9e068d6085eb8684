package io.mt5crmhub.gateway.nativeapi;

/**
 * What DealerBalance answered: {@code retcode} 10009 with the new deal's {@code ticket} when done; any other code
 * leaves the ticket 0 (after 10012 the deal may still exist and must be looked up, never re-sent).
 */
public record DealerAnswer(int retcode, long ticket) {
}
