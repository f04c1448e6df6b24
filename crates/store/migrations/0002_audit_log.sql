-- The use log (käyttöloki) and the disclosure log (luovutusloki) of
-- 703/2023 §10, and the seals that make them tamper-evident. See
-- crates/store/src/audit.rs for the design.
--
-- All four tables are append-only: the runtime role kirjo_app may INSERT and
-- SELECT and nothing else, and a trigger refuses UPDATE, DELETE and TRUNCATE
-- even to the owner. A superuser can still disable the trigger; `kirjo audit
-- verify` is what catches that. No foreign keys: the log outlives the users,
-- clients and documents it names.

-- One row per use of client data (and per attempt, allowed or not).
CREATE TABLE use_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    logged_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- The writing transaction: the sealer seals a row only once every
    -- transaction that could still commit a lower one has finished.
    xid             xid8 NOT NULL DEFAULT pg_current_xact_id(),
    request_id      uuid,
    -- NULL for a failed sign-in of an unknown account.
    user_id         bigint,
    user_name       text NOT NULL,
    register_id     text,
    client_id       bigint,
    action          text NOT NULL CHECK (action <> ''),
    -- What data: `basic_data`, `document:42`, ...
    data            text NOT NULL CHECK (data <> ''),
    purpose         text,
    allowed         boolean NOT NULL,
    explanation     text NOT NULL,
    source_address  text
);
CREATE INDEX use_log_client_idx ON use_log (client_id, logged_at);
CREATE INDEX use_log_user_idx ON use_log (user_id, logged_at);
CREATE INDEX use_log_xid_idx ON use_log (xid);

-- One row per disclosure of client data to someone outside the controller.
CREATE TABLE disclosure_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    disclosed_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    xid             xid8 NOT NULL DEFAULT pg_current_xact_id(),
    request_id      uuid,
    user_id         bigint,
    user_name       text NOT NULL,
    -- From whose register.
    register_id     text NOT NULL,
    client_id       bigint,
    data            text NOT NULL CHECK (data <> ''),
    recipient       text NOT NULL CHECK (recipient <> ''),
    purpose         text NOT NULL CHECK (purpose <> ''),
    -- The legal basis or the client's permission.
    legal_basis     text NOT NULL CHECK (legal_basis <> '')
);
CREATE INDEX disclosure_log_client_idx ON disclosure_log (client_id, disclosed_at);
CREATE INDEX disclosure_log_user_idx ON disclosure_log (user_id, disclosed_at);
CREATE INDEX disclosure_log_xid_idx ON disclosure_log (xid);

-- One row per sealed batch per log: a signed checkpoint of a hash chain over
-- the Merkle roots of the batches.
CREATE TABLE audit_seal (
    log             text NOT NULL CHECK (log IN ('use_log', 'disclosure_log')),
    batch           bigint NOT NULL CHECK (batch >= 1),
    first_position  bigint NOT NULL CHECK (first_position >= 1),
    last_position   bigint NOT NULL,
    row_count       bigint NOT NULL CHECK (row_count >= 1),
    -- The row at last_position, so that a deleted last entry can be named.
    last_row_id     bigint NOT NULL,
    -- Entries sealed late: rows that appeared after a seal their time predates.
    late_count      bigint NOT NULL CHECK (late_count >= 0),
    merkle_root     bytea NOT NULL CHECK (length(merkle_root) = 32),
    previous_chain  bytea NOT NULL CHECK (length(previous_chain) = 32),
    chain           bytea NOT NULL CHECK (length(chain) = 32),
    -- pg_snapshot_xmin of the sealing snapshot: every row with a lower xid
    -- was finished, and is sealed in this batch or before.
    horizon         xid8 NOT NULL,
    -- pg_snapshot_xmax of it: no transaction id at or above had been assigned.
    next_xid        xid8 NOT NULL,
    -- When the sealing snapshot was taken.
    sealed_at       timestamptz NOT NULL,
    key_id          text NOT NULL,
    signature       bytea NOT NULL CHECK (length(signature) = 64),
    PRIMARY KEY (log, batch),
    CHECK (last_position = first_position + row_count - 1)
);
CREATE INDEX audit_seal_next_xid_idx ON audit_seal (log, next_xid);

-- One row per sealed log row: its position in the log's sequence (1, 2, 3,
-- ... without gaps) and its leaf hash.
CREATE TABLE audit_seal_entry (
    log             text NOT NULL CHECK (log IN ('use_log', 'disclosure_log')),
    position        bigint NOT NULL CHECK (position >= 1),
    row_id          bigint NOT NULL,
    -- The row at position - 1, so that a deleted entry can be named.
    prev_row_id     bigint,
    batch           bigint NOT NULL,
    leaf            bytea NOT NULL CHECK (length(leaf) = 32),
    -- Sealed although its time predates an earlier seal: inserted behind the
    -- sealer's back. `kirjo audit verify` reports it.
    late            boolean NOT NULL DEFAULT false,
    PRIMARY KEY (log, position),
    UNIQUE (log, row_id)
);

CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER use_log_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON use_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER disclosure_log_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON disclosure_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_seal_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_seal
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_seal_entry_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_seal_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

-- The runtime role writes log rows but not their time, transaction or id:
-- those come from the database.
GRANT SELECT ON use_log, disclosure_log TO kirjo_app;
GRANT INSERT (request_id, user_id, user_name, register_id, client_id, action, data,
              purpose, allowed, explanation, source_address) ON use_log TO kirjo_app;
GRANT INSERT (request_id, user_id, user_name, register_id, client_id, data,
              recipient, purpose, legal_basis) ON disclosure_log TO kirjo_app;
-- The sealer runs as the runtime role.
GRANT SELECT, INSERT ON audit_seal, audit_seal_entry TO kirjo_app;
