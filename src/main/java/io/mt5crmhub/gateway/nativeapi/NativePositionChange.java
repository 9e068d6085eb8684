package io.mt5crmhub.gateway.nativeapi;

import io.mt5crmhub.gateway.nativeapi.NativeDealChange.Change;

/** What an IMTPositionSink callback reported: a position opened, changed or closed. */
public record NativePositionChange(Change change, NativePosition position) {
}
