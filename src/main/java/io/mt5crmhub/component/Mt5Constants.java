package io.mt5crmhub.component;

import org.apache.camel.spi.Metadata;

/** Headers the {@code mt5:} component sets (consumer) and reads or sets (balance producer). */
public final class Mt5Constants {

    @Metadata(label = "consumer", description = "The event's deterministic id: the idempotency key.",
              javaType = "String")
    public static final String EVENT_ID = "Mt5EventId";
    @Metadata(label = "consumer", description = "The event type, e.g. deal.added.", javaType = "String")
    public static final String EVENT_TYPE = "Mt5EventType";
    @Metadata(label = "consumer", description = "The configured MT5 server id the event comes from.",
              javaType = "String")
    public static final String SERVER = "Mt5Server";
    @Metadata(label = "consumer", description = "The MT5 login the event is about.", javaType = "long")
    public static final String LOGIN = "Mt5Login";
    @Metadata(label = "consumer", description = "The MT5 group of the login, when known.", javaType = "String")
    public static final String GROUP = "Mt5Group";
    @Metadata(label = "consumer", description = "The CRM client owning the login, once enriched.",
              javaType = "String")
    public static final String CLIENT_ID = "Mt5ClientId";
    @Metadata(label = "consumer", description = "For deals: the MT5 deal action, e.g. BALANCE.", javaType = "String")
    public static final String DEAL_ACTION = "Mt5DealAction";
    @Metadata(label = "consumer", description = "True when the event was re-read after a (re)connect rather than"
                                                + " received live; duplicates of it are expected.",
              javaType = "boolean")
    public static final String BACKFILL = "Mt5Backfill";
    @Metadata(label = "consumer", description = "With batchSize above 1: how many events the exchange's list holds.",
              javaType = "int")
    public static final String BATCH_SIZE = "Mt5BatchSize";
    @Metadata(label = "consumer", description = "When the gateway handed the event to the hub, by the wall clock:"
                                                + " nanoseconds since the epoch (microsecond precision). For a batch,"
                                                + " its earliest event's; for a back-filled event, when it was read"
                                                + " from the history. MT5's own time is the event's occurredAt.",
              javaType = "long")
    public static final String RECEIVED_AT = "Mt5ReceivedAt";
    @Metadata(label = "producer", description = "The MT5 return code of a balance operation (10009 = done).",
              javaType = "int")
    public static final String RETCODE = "Mt5Retcode";
    @Metadata(label = "producer", description = "The ticket of the deal a balance operation created.",
              javaType = "long")
    public static final String DEAL_TICKET = "Mt5DealTicket";

    private Mt5Constants() {
    }
}
