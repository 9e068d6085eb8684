-- Who owns each MT5 server when several hub instances share this database (hub.cluster.type other than none), and
-- its fencing token: a new owner increments epoch before it connects to MT5, and every write of that server checks,
-- in its own transaction, that the epoch is still the one its instance holds.
CREATE TABLE hub_server_lease (
    server_id  VARCHAR(64)              NOT NULL PRIMARY KEY,
    owner      VARCHAR(255)             NOT NULL,
    epoch      BIGINT                   NOT NULL,
    since      TIMESTAMP WITH TIME ZONE NOT NULL
);
