package io.mt5crmhub.rabbitmq;

import io.mt5crmhub.pipeline.HttpFailures;
import io.mt5crmhub.pipeline.RejectedEventsException;
import org.springframework.amqp.AmqpRejectAndDontRequeueException;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.config.RetryInterceptorBuilder;
import org.springframework.amqp.rabbit.retry.MessageRecoverer;
import org.springframework.retry.interceptor.RetryOperationsInterceptor;
import org.springframework.retry.policy.NeverRetryPolicy;

/**
 * What the hub's queue consumers (camel-spring-rabbitmq, {@code retry=#...}) do with a message whose route failed:
 * a {@link PoisonMessageException}, or an event the CRM refused for good ({@link RejectedEventsException}), is rejected without requeue (the queue's dead-letter exchange takes it); any
 * other failure is requeued, to be tried again. The component's own policy without this would, once its attempts
 * are used up, drop ("recover") the message, acknowledging something that was never applied.
 * The route retries with backoff before it gets here; this interceptor itself never retries.
 */
public final class ConsumerFailurePolicy {

    private ConsumerFailurePolicy() {
    }

    public static RetryOperationsInterceptor interceptor() {
        MessageRecoverer recoverer = ConsumerFailurePolicy::recover;
        return RetryInterceptorBuilder.stateless().retryPolicy(new NeverRetryPolicy()).recoverer(recoverer).build();
    }

    static void recover(Message message, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof AmqpRejectAndDontRequeueException || t instanceof RejectedEventsException) {
                throw new AmqpRejectAndDontRequeueException("poison message, dead-lettered: " + t.getMessage(), t);
            }
        }
        if (HttpFailures.isClientError(cause)) {
            throw new AmqpRejectAndDontRequeueException("the CRM refused it with HTTP "
                    + HttpFailures.find(cause).getStatusCode() + ", dead-lettered", cause);
        }
        throw new ImmediateRequeueAmqpException("not applied, requeued: " + cause.getMessage(), cause);
    }
}
