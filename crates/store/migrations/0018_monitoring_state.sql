-- The monitoring scan carries its hourly count from batch to batch (issue
-- 15): for each user, the newest scanned use of each client they saw. A
-- batch reads the rows of its users newer than an hour before the batch,
-- one per client, instead of every use of that hour again. Rows older than
-- that are deleted as the scan passes them.
CREATE TABLE monitoring_user_client (
    user_id         bigint NOT NULL,
    client_id       bigint NOT NULL,
    last_at         timestamptz NOT NULL,
    PRIMARY KEY (user_id, client_id)
);
CREATE INDEX monitoring_user_client_recent ON monitoring_user_client (user_id, last_at);

-- The review items: a user's open flags of one kind on one day, found and
-- reviewed together.
CREATE INDEX access_flag_user_kind ON access_flag (user_id, kind);

GRANT SELECT, INSERT, UPDATE, DELETE ON monitoring_user_client TO kirjo_app;
