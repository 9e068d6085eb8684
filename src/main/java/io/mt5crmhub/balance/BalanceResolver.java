package io.mt5crmhub.balance;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The balance service's background work: every {@code resolveEvery} it sends requests stored while their server
 * was away and looks up SENT and UNKNOWN ones ({@link BalanceService#resolvePending}); when RabbitMQ is on it
 * publishes the final outcomes not yet published, at once after each outcome and on the same schedule.
 */
public class BalanceResolver extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(BalanceResolver.class);

    private final CamelContext context;
    private final BalanceService service;
    private final BalanceOutcomePublisher publisher;
    private final Duration every;
    private ScheduledExecutorService scheduler;
    private volatile String lastPublishProblem;

    /** @param publisher null when RabbitMQ is off */
    public BalanceResolver(CamelContext context, BalanceService service, BalanceOutcomePublisher publisher,
            Duration every) {
        this.context = context;
        this.service = service;
        this.publisher = publisher;
        this.every = every;
    }

    @Override
    protected void doStart() {
        scheduler = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "balance-resolver");
        scheduler.scheduleWithFixedDelay(this::resolve, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        if (publisher != null) {
            service.addOutcomeListener(op -> scheduler.execute(this::publish));
            scheduler.scheduleWithFixedDelay(this::publish, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void doStop() {
        if (scheduler != null) {
            context.getExecutorServiceManager().shutdownGraceful(scheduler);
        }
    }

    private void resolve() {
        try {
            service.resolvePending();
        } catch (Exception e) {
            LOG.warn("balance requests not resolved this round: {}", e.getMessage());
        }
    }

    private void publish() {
        try {
            publisher.publishPending();
            if (lastPublishProblem != null) {
                LOG.info("balance outcomes are reaching RabbitMQ again");
                lastPublishProblem = null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            String problem = e.getMessage();
            if (!String.valueOf(problem).equals(lastPublishProblem)) {
                LOG.warn("balance outcomes wait for RabbitMQ: {}", problem);
            }
            lastPublishProblem = String.valueOf(problem);
        }
    }
}
