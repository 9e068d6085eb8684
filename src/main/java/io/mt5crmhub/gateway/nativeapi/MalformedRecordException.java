package io.mt5crmhub.gateway.nativeapi;

/** A record from the library the hub cannot take as it is: an MT5 code it does not know, or an absurd value. */
final class MalformedRecordException extends Exception {

    MalformedRecordException(String message) {
        super(message, null, false, false);
    }
}
