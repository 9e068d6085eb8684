/**
 * The binding to the MT5 Manager API library ({@code MT5APIManager64.dll}) through JNA: loading it, the version
 * guard, calls through vtable slots, UTF-16 text and sink objects built from JNA callbacks. Slot numbers and
 * marshalling rules come from {@code shared/reference/mt5-manager-api-abi.md}; on Linux the tests run the same
 * code against the gcc-built stand-in in {@code src/test/native}.
 */
package io.mt5crmhub.gateway.nativeapi;
