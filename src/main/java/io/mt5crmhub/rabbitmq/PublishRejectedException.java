package io.mt5crmhub.rabbitmq;

/** The broker took the message but did not accept it: a nack, or a return because nothing was bound to it. */
public class PublishRejectedException extends Exception {

    public PublishRejectedException(String message) {
        super(message);
    }
}
