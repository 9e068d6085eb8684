package io.mt5crmhub.gateway.simulator;

import java.time.Instant;

import io.mt5crmhub.event.Deal;

/** A deal as the books keep it: the deal plus the login it belongs to and its time. */
record StoredDeal(long login, Instant time, Deal deal) {
}
