-- WebAuthn security keys and passkeys as a second factor beside TOTP.

-- The user handle the authenticator keeps for the user (WebAuthn's
-- `user.id`): 16 random bytes, made at the first registration, so that no
-- authenticator learns Kirjo's user id.
ALTER TABLE staff_user
    ADD COLUMN webauthn_user_handle bytea UNIQUE
        CHECK (webauthn_user_handle IS NULL OR length(webauthn_user_handle) = 16);

-- A registered credential: its id, its public key as the authenticator gave
-- it (a COSE_Key), the algorithm, and the last signature counter seen.
CREATE TABLE staff_webauthn_credential (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES staff_user (id),
    credential_id   bytea NOT NULL UNIQUE
        CHECK (length(credential_id) BETWEEN 16 AND 1023),
    public_key      bytea NOT NULL,
    -- COSE algorithm: -7 ES256, -8 EdDSA (Ed25519), -257 RS256.
    algorithm       integer NOT NULL CHECK (algorithm IN (-7, -8, -257)),
    sign_count      bigint NOT NULL DEFAULT 0 CHECK (sign_count BETWEEN 0 AND 4294967295),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    -- The authenticator verified the user (PIN, biometrics) at registration,
    -- and at the last use.
    user_verified   boolean NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_used_at    timestamptz,
    last_user_verified boolean
);
CREATE INDEX staff_webauthn_credential_user ON staff_webauthn_credential (user_id);

-- A challenge issued to one session for one ceremony: random, good once,
-- for a few minutes.
CREATE TABLE staff_webauthn_challenge (
    challenge       bytea PRIMARY KEY CHECK (length(challenge) = 32),
    session_hash    bytea NOT NULL REFERENCES staff_session (token_hash) ON DELETE CASCADE,
    ceremony        text NOT NULL CHECK (ceremony IN ('create', 'get')),
    expires_at      timestamptz NOT NULL
);
CREATE INDEX staff_webauthn_challenge_session ON staff_webauthn_challenge (session_hash);

GRANT UPDATE (webauthn_user_handle) ON staff_user TO kirjo_app;
GRANT SELECT, INSERT, DELETE ON staff_webauthn_credential TO kirjo_app;
GRANT UPDATE (sign_count, last_used_at, last_user_verified) ON staff_webauthn_credential TO kirjo_app;
GRANT SELECT, INSERT, DELETE ON staff_webauthn_challenge TO kirjo_app;
