-- The second factor (TOTP, RFC 6238) with recovery codes, the language a
-- user chose for the pages, and sessions that wait for the second factor.

ALTER TABLE staff_user
    -- 20 random bytes; NULL until the user has enrolled.
    ADD COLUMN totp_secret bytea CHECK (totp_secret IS NULL OR length(totp_secret) = 20),
    ADD COLUMN totp_enrolled_at timestamptz,
    -- The secret shown during enrolment, until a code from it is confirmed.
    ADD COLUMN totp_pending_secret bytea CHECK (totp_pending_secret IS NULL OR length(totp_pending_secret) = 20),
    -- The last time step accepted: a code is good once.
    ADD COLUMN totp_last_step bigint,
    -- fi, sv or en; NULL until the user chooses.
    ADD COLUMN language text CHECK (language IN ('fi', 'sv', 'en'));

-- One-time recovery codes, for a lost authenticator. Only hashes are kept.
CREATE TABLE staff_recovery_code (
    user_id         bigint NOT NULL REFERENCES staff_user (id),
    code_hash       bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    used_at         timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

-- A session is usable only at stage 'signed_in'. After the password, a
-- user with a second factor waits at 'second_factor'; a user whose role
-- requires one and who has none is at 'enrol', where only enrolment works.
ALTER TABLE staff_session
    ADD COLUMN stage text NOT NULL DEFAULT 'signed_in'
        CHECK (stage IN ('second_factor', 'enrol', 'signed_in')),
    -- Wrong second-factor codes in this session.
    ADD COLUMN second_factor_failures integer NOT NULL DEFAULT 0;

GRANT UPDATE (totp_secret, totp_enrolled_at, totp_pending_secret, totp_last_step, language)
    ON staff_user TO kirjo_app;
GRANT SELECT, INSERT, DELETE ON staff_recovery_code TO kirjo_app;
GRANT UPDATE (used_at) ON staff_recovery_code TO kirjo_app;
GRANT UPDATE (stage, second_factor_failures) ON staff_session TO kirjo_app;
