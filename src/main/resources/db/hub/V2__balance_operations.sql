-- Balance operations asked for by the CRM (deposits, withdrawals, credit, bonus, corrections), one row per
-- crmTxnId, stored before MT5 is called. One script for H2 and PostgreSQL.
--   state: RECEIVED (stored, never sent) -> SENT (committed before the MT5 call) -> CONFIRMED | REJECTED | UNKNOWN
--   reference: the <= 32-character MT5 deal comment that maps back to crm_txn_id, unique per server
--   request_hash: SHA-256 of the request's parameters; the same crmTxnId with other parameters is refused (409)
--   outcome_published: the balance.confirmed / balance.rejected event reached RabbitMQ (outbox flag)
CREATE TABLE hub_balance_operation (
    crm_txn_id        VARCHAR(64)    NOT NULL PRIMARY KEY,
    server            VARCHAR(32)    NOT NULL,
    login             BIGINT         NOT NULL,
    op_type           VARCHAR(16)    NOT NULL,
    amount            NUMERIC(24, 8) NOT NULL,
    crm_comment       VARCHAR(256),
    mt5_action        VARCHAR(32)    NOT NULL,
    mt5_amount        NUMERIC(24, 8) NOT NULL,
    reference         VARCHAR(32)    NOT NULL,
    request_hash      VARCHAR(64)    NOT NULL,
    state             VARCHAR(16)    NOT NULL,
    deal_ticket       BIGINT,
    retcode           INTEGER,
    reason            VARCHAR(1000),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    sent_at           TIMESTAMP WITH TIME ZONE,
    updated_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome_published BOOLEAN        DEFAULT FALSE NOT NULL,
    CONSTRAINT hub_balance_operation_reference UNIQUE (server, reference)
);
CREATE INDEX hub_balance_operation_state ON hub_balance_operation (state, updated_at);
