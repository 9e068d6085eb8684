package io.mt5crmhub.component;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import io.mt5crmhub.event.DealAction;
import io.mt5crmhub.event.EntityType;
import io.mt5crmhub.event.Mt5Event;
import io.mt5crmhub.gateway.GroupMask;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Streams MT5 deals, positions and accounts (logins) as events, and performs balance operations on MT5.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "mt5", title = "MetaTrader 5", syntax = "mt5:stream",
             category = { Category.FINANCE, Category.MESSAGING }, headersClass = Mt5Constants.class)
public class Mt5Endpoint extends DefaultEndpoint {

    static final int MAX_BATCH_SIZE = 10_000;

    @UriPath(enums = "deals,positions,accounts,balance")
    @Metadata(required = true)
    private String stream;
    @UriParam
    private String server;
    @UriParam(label = "consumer")
    private String actions;
    @UriParam(label = "consumer", description = "Only events of logins in these MT5 groups: a comma separated"
                                                + " MT5 group mask where an asterisk matches any characters and a"
                                                + " leading ! excludes a pattern (examples in docs/configuration.md).")
    private String groups;
    @UriParam(label = "consumer", defaultValue = "10000")
    private int queueSize = 10_000;
    @UriParam(label = "consumer", defaultValue = "1")
    private int maxInflight = 1;
    @UriParam(label = "consumer", defaultValue = "1")
    private int batchSize = 1;
    @UriParam(label = "consumer,advanced")
    private String checkpointId;
    @UriParam(label = "consumer,advanced", defaultValue = "1s", javaType = "java.time.Duration")
    private Duration checkpointInterval = Duration.ofSeconds(1);
    @UriParam(label = "consumer,advanced", defaultValue = "5m", javaType = "java.time.Duration")
    private Duration backfillOverlap = Duration.ofMinutes(5);
    @UriParam(label = "consumer,advanced", defaultValue = "10m", javaType = "java.time.Duration")
    private Duration gapSweepInterval = Duration.ofMinutes(10);
    @UriParam(label = "consumer,advanced", defaultValue = "1d", javaType = "java.time.Duration")
    private Duration initialBackfill = Duration.ofDays(1);

    private Mt5Stream parsedStream;
    private Set<DealAction> actionFilter;
    private GroupMask groupMask = GroupMask.ALL;

    public Mt5Endpoint(String uri, Mt5Component component) {
        super(uri, component);
    }

    @Override
    public Mt5Component getComponent() {
        return (Mt5Component) super.getComponent();
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        parsedStream = Mt5Stream.parse(stream);
        actionFilter = parseActions(actions);
        groupMask = GroupMask.parse(groups);
        if (queueSize < 1) {
            throw new IllegalArgumentException("mt5: queueSize must be at least 1, was " + queueSize);
        }
        if (maxInflight < 1) {
            throw new IllegalArgumentException("mt5: maxInflight must be at least 1, was " + maxInflight);
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("mt5: batchSize must be between 1 and " + MAX_BATCH_SIZE + ", was "
                    + batchSize);
        }
        if (actionFilter != null && parsedStream != Mt5Stream.DEALS) {
            throw new IllegalArgumentException("mt5:" + stream + ": the actions filter applies to mt5:deals only");
        }
    }

    @Override
    public Producer createProducer() throws Exception {
        if (Mt5Stream.parse(stream) != Mt5Stream.BALANCE) {
            throw new IllegalArgumentException("mt5:" + stream + " can only be consumed; send to mt5:balance");
        }
        return new Mt5BalanceProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (!Mt5Stream.parse(stream).isConsumable()) {
            throw new IllegalArgumentException("mt5:" + stream + " cannot be consumed; consume mt5:deals,"
                    + " mt5:positions or mt5:accounts");
        }
        Mt5Consumer consumer = new Mt5Consumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /**
     * The exchange of one dispatch of {@code events} read from server {@code serverId}, built here as camel-debezium's
     * endpoint builds its exchanges. With batchSize 1 the body is the one {@link Mt5Event} and the headers describe
     * it; above 1 the body is the {@code List<Mt5Event>} and the headers carry the server and the batch size. Either
     * way {@link Mt5Constants#RECEIVED_AT} is {@code receivedAt}: when the gateway handed over the earliest event.
     */
    Exchange createExchange(Mt5Consumer consumer, String serverId, List<Mt5Event> events, boolean backfill,
                            long receivedAt) {
        Exchange exchange = consumer.createExchange(false);
        Message message = exchange.getMessage();
        if (batchSize == 1) {
            setEvent(message, events.get(0));
        } else {
            message.setBody(events);
            message.setHeader(Mt5Constants.SERVER, serverId);
            message.setHeader(Mt5Constants.BATCH_SIZE, events.size());
        }
        message.setHeader(Mt5Constants.BACKFILL, backfill);
        message.setHeader(Mt5Constants.RECEIVED_AT, receivedAt);
        return exchange;
    }

    private static void setEvent(Message message, Mt5Event event) {
        message.setBody(event);
        message.setHeader(Mt5Constants.EVENT_ID, event.eventId());
        message.setHeader(Mt5Constants.EVENT_TYPE, event.type().toString());
        message.setHeader(Mt5Constants.SERVER, event.server());
        message.setHeader(Mt5Constants.LOGIN, event.login());
        if (event.group() != null) {
            message.setHeader(Mt5Constants.GROUP, event.group());
        }
        if (event.entity() == EntityType.DEAL) {
            message.setHeader(Mt5Constants.DEAL_ACTION, event.deal().action().name());
        }
    }

    /** The servers to read: the configured {@code server}, or every server in {@code mt5.servers}. */
    List<String> serverIds() {
        return server != null ? List.of(server) : getComponent().getGatewayFactory().serverIds();
    }

    String producerServerId() {
        if (server != null) {
            return server;
        }
        List<String> all = getComponent().getGatewayFactory().serverIds();
        if (all.size() != 1) {
            throw new IllegalArgumentException("mt5:balance needs the server option when several MT5 servers are"
                    + " configured: " + String.join(",", all));
        }
        return all.get(0);
    }

    Predicate<Mt5Event> eventFilter() {
        Set<DealAction> wanted = actionFilter;
        GroupMask mask = groupMask;
        return event -> {
            if (wanted != null && (event.deal() == null || !wanted.contains(event.deal().action()))) {
                return false;
            }
            if (mask.matchesAll()) {
                return true;
            }
            return mask.matches(event.group());
        };
    }

    static Set<DealAction> parseActions(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Set<DealAction> set = EnumSet.noneOf(DealAction.class);
        for (String part : text.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            if (name.startsWith("DEAL_")) {
                name = name.substring(5);
            }
            try {
                set.add(DealAction.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("mt5: actions '" + part.trim() + "' is not an MT5 deal action"
                        + " (BUY, SELL, BALANCE, CREDIT, CHARGE, CORRECTION, BONUS, COMMISSION, AGENT, ...)");
            }
        }
        return set;
    }

    Mt5Stream streamKind() {
        return parsedStream != null ? parsedStream : Mt5Stream.parse(stream);
    }

    public String getStream() {
        return stream;
    }

    /**
     * What to read or do: deals, positions, accounts (MT5 logins) as a consumer; balance as a producer.
     */
    public void setStream(String stream) {
        this.stream = stream;
    }

    public String getServer() {
        return server;
    }

    /**
     * The configured MT5 server id (mt5.servers). A consumer without it reads every configured server; the
     * balance producer needs it when more than one server is configured.
     */
    public void setServer(String server) {
        this.server = server;
    }

    public String getActions() {
        return actions;
    }

    /**
     * Only deals with these MT5 deal actions, comma separated, e.g. BALANCE,CREDIT (deals only).
     */
    public void setActions(String actions) {
        this.actions = actions;
    }

    public String getGroups() {
        return groups;
    }

    public void setGroups(String groups) {
        this.groups = groups;
    }

    public int getQueueSize() {
        return queueSize;
    }

    /**
     * How many received events may wait in memory per server; past that they go to the component's overflow
     * directory when it has one, else the gateway is made to wait (back-pressure).
     */
    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public int getMaxInflight() {
        return maxInflight;
    }

    /**
     * How many exchanges per server may be routed at once. Above 1 only helps routes with asynchronous steps
     * (such as a publisher waiting for confirms); order between events is then not kept, which the
     * idempotency keys and the update-time ordering guard make harmless.
     */
    public void setMaxInflight(int maxInflight) {
        this.maxInflight = maxInflight;
    }

    public int getBatchSize() {
        return batchSize;
    }

    /**
     * Most events per exchange. With 1 (the default) the body is one {@code Mt5Event} and the headers describe
     * it. Above 1 the body is a {@code List<Mt5Event>} of the events already waiting, up to this many (the
     * consumer never waits to fill a batch), and only the server and batch size headers are set: for routes
     * whose steps take lists, such as the RabbitMQ fan-out, where it spreads the per-exchange cost over many
     * events. {@code maxInflight} then counts batches.
     */
    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public String getCheckpointId() {
        return checkpointId;
    }

    /**
     * The name this consumer's checkpoint is stored under (per server); defaults to the route id. Two routes
     * reading the same stream keep separate checkpoints.
     */
    public void setCheckpointId(String checkpointId) {
        this.checkpointId = checkpointId;
    }

    public Duration getCheckpointInterval() {
        return checkpointInterval;
    }

    /**
     * How often the deal checkpoint is stored while running (it is also stored on stop).
     */
    public void setCheckpointInterval(Duration checkpointInterval) {
        this.checkpointInterval = checkpointInterval;
    }

    public Duration getBackfillOverlap() {
        return backfillOverlap;
    }

    /**
     * How far before the checkpoint the deal back-fill starts after a (re)connect, to cover deals stamped late.
     */
    public void setBackfillOverlap(Duration backfillOverlap) {
        this.backfillOverlap = backfillOverlap;
    }

    public Duration getGapSweepInterval() {
        return gapSweepInterval;
    }

    /**
     * Deals only: how often, while connected, the deal history from the checkpoint (minus backfillOverlap) is read
     * again, so that a deal the live stream never delivered (a gap) is found without waiting for a reconnect; the
     * repeats are dropped by event id. 0 turns the sweep off.
     */
    public void setGapSweepInterval(Duration gapSweepInterval) {
        this.gapSweepInterval = gapSweepInterval;
    }

    public Duration getInitialBackfill() {
        return initialBackfill;
    }

    /**
     * How much deal history to read on the very first start, when no checkpoint is stored yet.
     */
    public void setInitialBackfill(Duration initialBackfill) {
        this.initialBackfill = initialBackfill;
    }
}
