package io.mt5crmhub.rabbitmq;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLTransientConnectionException;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/** A failed message is never dropped: poison is rejected to the dead-letter exchange, anything else requeued. */
class ConsumerFailurePolicyTest {

    private final Message message = new Message("{}".getBytes(), new MessageProperties());

    @Test
    void aPoisonMessageIsRejectedWithoutRequeue() {
        assertThatThrownBy(() -> ConsumerFailurePolicy.recover(message,
                new RuntimeCamelException(new PoisonMessageException("not an event"))))
                .isInstanceOf(AmqpRejectAndDontRequeueException.class).hasMessageContaining("not an event");
    }

    @Test
    void aDatabaseOutageIsRequeuedNotAcknowledged() {
        assertThatThrownBy(() -> ConsumerFailurePolicy.recover(message,
                new RuntimeCamelException(new SQLTransientConnectionException("pool exhausted"))))
                .isInstanceOf(ImmediateRequeueAmqpException.class).hasMessageContaining("pool exhausted");
    }

    @Test
    void aCrmRefusalIsRejectedWithoutRequeueAndA5xxIsRequeued() {
        assertThatThrownBy(() -> ConsumerFailurePolicy.recover(message, new RuntimeCamelException(
                new HttpOperationFailedException("http://crm/events", 422, "Unprocessable", null, null, "bad login"))))
                .isInstanceOf(AmqpRejectAndDontRequeueException.class).hasMessageContaining("HTTP 422");
        assertThatThrownBy(() -> ConsumerFailurePolicy.recover(message, new RuntimeCamelException(
                new HttpOperationFailedException("http://crm/events", 503, "Unavailable", null, null, "busy"))))
                .isInstanceOf(ImmediateRequeueAmqpException.class);
    }
}
