package io.mt5crmhub.gateway.nativeapi;

/** What an IMTDealSink callback reported: a deal added, updated or deleted. */
public record NativeDealChange(Change change, NativeDeal deal) {

    public enum Change { ADDED, UPDATED, DELETED }
}
