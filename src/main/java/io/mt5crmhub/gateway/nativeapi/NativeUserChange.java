package io.mt5crmhub.gateway.nativeapi;

import io.mt5crmhub.gateway.nativeapi.NativeDealChange.Change;

/** What an IMTUserSink callback reported: a login added, changed or deleted. */
public record NativeUserChange(Change change, NativeUser user) {
}
