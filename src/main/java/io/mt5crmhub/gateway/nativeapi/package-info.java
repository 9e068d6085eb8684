/**
 * The {@code native} gateway: the MT5 Manager API library ({@code MT5APIManager64.dll}) through JNA. The binding
 * (loading, the version guard, calls through vtable slots, UTF-16 text, sink objects built from JNA callbacks) and
 * the gateway on top of it: sinks that only copy into a bounded {@link io.mt5crmhub.gateway.nativeapi.Inbox}, the
 * {@link io.mt5crmhub.gateway.nativeapi.NativePump} that delivers, reconnects and resyncs, the requests of
 * {@link io.mt5crmhub.gateway.nativeapi.NativeSession} and the balance operations of
 * {@link io.mt5crmhub.gateway.nativeapi.NativeDealer}. Slot numbers and marshalling rules come from
 * {@code shared/reference/mt5-manager-api-abi.md}; on Linux the tests run the same code against the gcc-built
 * stand-in in {@code src/test/native}.
 */
package io.mt5crmhub.gateway.nativeapi;
