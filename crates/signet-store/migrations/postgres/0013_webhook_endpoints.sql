-- Account webhook endpoints, their deliveries (one per event and endpoint, made by a
-- `deliver_webhook` job inserted with it) and each delivery's attempts.
CREATE TABLE webhook_endpoints (
    id uuid PRIMARY KEY NOT NULL,
    account_id uuid NOT NULL REFERENCES accounts (id),
    url text NOT NULL,
    description text NOT NULL,
    enabled boolean NOT NULL,
    -- '*' or the subscribed types, each surrounded by spaces (' envelope.sent envelope.signed ').
    event_types text NOT NULL,
    secret_sealed bytea NOT NULL,
    previous_secret_sealed bytea,
    previous_secret_until timestamptz,
    disabled_reason text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (account_id, id)
);
-- The fan-out probe every reported envelope change makes: the account's enabled endpoints.
CREATE INDEX webhook_endpoints_account ON webhook_endpoints (account_id, enabled);

CREATE TABLE webhook_deliveries (
    id uuid PRIMARY KEY NOT NULL,
    account_id uuid NOT NULL,
    endpoint_id uuid NOT NULL,
    envelope_id uuid NOT NULL,
    event_type text NOT NULL,
    payload text NOT NULL,
    status text NOT NULL,
    attempts bigint NOT NULL,
    last_status_code bigint,
    last_error text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    -- Ties the fan-out's delivery rows to the jobs inserted for them in the same statement pair.
    fanout_id uuid NOT NULL,
    FOREIGN KEY (account_id, endpoint_id) REFERENCES webhook_endpoints (account_id, id)
        ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
CREATE INDEX webhook_deliveries_fanout ON webhook_deliveries (fanout_id);

CREATE TABLE webhook_attempts (
    delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    account_id uuid NOT NULL,
    attempted_at timestamptz NOT NULL,
    status_code bigint,
    duration_ms bigint NOT NULL,
    error text
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempted_at);
