-- The books of one simulated MT5 trade server (its own H2 file, not the hub's database).
-- Times are epoch milliseconds (UTC). Prices keep 8 decimals; readers scale them to the symbol's digits.

-- One row: the counters, the simulated clock and the market. The bid prices change with every action, so they
-- are kept in this row ("EURUSD=1.08500 GBPUSD=1.27000 ...") and saved with one UPDATE instead of one per symbol.
CREATE TABLE sim_state (
    id          INT PRIMARY KEY,
    start_ms    BIGINT NOT NULL,
    clock_ms    BIGINT NOT NULL,
    action_no   BIGINT NOT NULL,
    next_deal   BIGINT NOT NULL,
    next_order  BIGINT NOT NULL,
    next_login  BIGINT NOT NULL,
    bids        VARCHAR(1000) NOT NULL
);

CREATE TABLE sim_login (
    login         BIGINT PRIMARY KEY,
    client_id     VARCHAR(16) NOT NULL,
    grp           VARCHAR(64) NOT NULL,
    name          VARCHAR(128) NOT NULL,
    email         VARCHAR(128) NOT NULL,
    leverage      INT NOT NULL,
    currency      VARCHAR(3) NOT NULL,
    balance       DECIMAL(20, 2) NOT NULL,
    credit        DECIMAL(20, 2) NOT NULL,
    agent         BIGINT NOT NULL,
    registered_ms BIGINT NOT NULL,
    updated_ms    BIGINT NOT NULL
);

CREATE TABLE sim_deal (
    ticket        BIGINT PRIMARY KEY,
    login         BIGINT NOT NULL,
    time_ms       BIGINT NOT NULL,
    order_ticket  BIGINT NOT NULL,
    position_id   BIGINT NOT NULL,
    action        INT NOT NULL,
    entry         INT NOT NULL,
    reason        INT NOT NULL,
    symbol        VARCHAR(16) NOT NULL,
    volume        DECIMAL(12, 2) NOT NULL,
    price         DECIMAL(20, 8) NOT NULL,
    profit        DECIMAL(20, 2) NOT NULL,
    commission    DECIMAL(20, 2) NOT NULL,
    swap          DECIMAL(20, 2) NOT NULL,
    fee           DECIMAL(20, 2) NOT NULL,
    comment       VARCHAR(32) NOT NULL
);

CREATE INDEX sim_deal_by_time ON sim_deal (time_ms, ticket);
CREATE INDEX sim_deal_by_login ON sim_deal (login, comment, time_ms);

CREATE TABLE sim_position (
    ticket        BIGINT PRIMARY KEY,
    login         BIGINT NOT NULL,
    action        INT NOT NULL,
    symbol        VARCHAR(16) NOT NULL,
    volume        DECIMAL(12, 2) NOT NULL,
    price_open    DECIMAL(20, 8) NOT NULL,
    price_current DECIMAL(20, 8) NOT NULL,
    price_sl      DECIMAL(20, 8) NOT NULL,
    price_tp      DECIMAL(20, 8) NOT NULL,
    profit        DECIMAL(20, 2) NOT NULL,
    swap          DECIMAL(20, 2) NOT NULL,
    comment       VARCHAR(32) NOT NULL,
    opened_ms     BIGINT NOT NULL,
    updated_ms    BIGINT NOT NULL
);
