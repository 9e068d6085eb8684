package io.mt5crmhub.redis;

/** Redis could not be reached or refused a whole list: nothing of it is known delivered; send it again. */
public class RedisUnavailableException extends Exception {

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
