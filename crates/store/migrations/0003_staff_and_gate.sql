-- Staff, organisation, rights and client relationships: what the gate
-- decides from. Dates of validity are calendar dates in Europe/Helsinki and
-- inclusive at both ends: a substitute granted until 2026-12-31 has the right
-- on that day and not after.

CREATE FUNCTION kirjo_today() RETURNS date
    LANGUAGE sql STABLE
    RETURN (now() AT TIME ZONE 'Europe/Helsinki')::date;

-- Outsourced service providers (palveluntuottaja, toimeksiantosopimus).
CREATE TABLE provider (
    id              text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_]{0,63}$'),
    name            text NOT NULL CHECK (name <> ''),
    business_id     text NOT NULL CHECK (business_id ~ '^[0-9]{7}-[0-9]$'),
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- The organisation's units; a provider's users belong to a unit of it.
CREATE TABLE unit (
    id              text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_]{0,63}$'),
    name_fi         text NOT NULL CHECK (name_fi <> ''),
    name_sv         text NOT NULL CHECK (name_sv <> ''),
    name_en         text NOT NULL CHECK (name_en <> ''),
    provider_id     text REFERENCES provider (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Personal user accounts: never shared.
CREATE TABLE staff_user (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        text NOT NULL UNIQUE CHECK (username ~ '^[a-z][a-z0-9._-]{1,63}$'),
    name            text NOT NULL CHECK (name <> ''),
    -- Ammattinimike, e.g. sosiaalityöntekijä.
    title           text NOT NULL CHECK (title <> ''),
    user_groups     text[] NOT NULL DEFAULT '{}',
    provider_id     text REFERENCES provider (id),
    -- Argon2id PHC string; NULL until a password is set.
    password_hash   text,
    -- Set by an administrator's reset: every access is denied until the
    -- user chooses a new password.
    password_change_required boolean NOT NULL DEFAULT false,
    password_changed_at timestamptz,
    -- When duties ended, every right is gone at once.
    duties_ended_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Rights take effect only when the main administrator approves a
-- supervisor's proposal; both, with times and reasons, are kept.
CREATE TABLE rights_proposal (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('grant', 'change', 'remove')),
    user_id         bigint NOT NULL REFERENCES staff_user (id),
    role            text NOT NULL CHECK (role IN ('client_worker', 'unit_supervisor', 'registry_clerk',
                        'main_administrator', 'data_protection_officer', 'provider_worker')),
    unit_id         text NOT NULL REFERENCES unit (id),
    sub_register_id text REFERENCES sub_register (id),
    valid_from      date NOT NULL,
    valid_until     date CHECK (valid_until IS NULL OR valid_until >= valid_from),
    -- For change and remove: the grant it concerns.
    target_grant_id bigint,
    reason          text NOT NULL CHECK (reason <> ''),
    proposed_by     bigint NOT NULL REFERENCES staff_user (id),
    proposed_at     timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'grant') = (target_grant_id IS NULL))
);

CREATE TABLE rights_decision (
    proposal_id     bigint PRIMARY KEY REFERENCES rights_proposal (id),
    approved        boolean NOT NULL,
    reason          text NOT NULL CHECK (reason <> ''),
    decided_by      bigint NOT NULL REFERENCES staff_user (id),
    decided_at      timestamptz NOT NULL DEFAULT now()
);

-- A role in force from valid_from to valid_until (inclusive), unless ended.
CREATE TABLE role_grant (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES staff_user (id),
    role            text NOT NULL CHECK (role IN ('client_worker', 'unit_supervisor', 'registry_clerk',
                        'main_administrator', 'data_protection_officer', 'provider_worker')),
    unit_id         text NOT NULL REFERENCES unit (id),
    sub_register_id text REFERENCES sub_register (id),
    valid_from      date NOT NULL,
    valid_until     date CHECK (valid_until IS NULL OR valid_until >= valid_from),
    -- The approved proposal that made it (NULL only for the first
    -- administrator, made by `kirjo` at installation).
    proposal_id     bigint REFERENCES rights_proposal (id),
    ended_by_proposal_id bigint REFERENCES rights_proposal (id),
    ended_at        timestamptz,
    CHECK ((role IN ('client_worker', 'unit_supervisor', 'registry_clerk', 'provider_worker'))
           = (sub_register_id IS NOT NULL))
);
CREATE INDEX role_grant_user ON role_grant (user_id);

-- The confidentiality and user commitment (käyttäjäsitoumus): each version,
-- and who accepted which when. Until the current one is accepted, every
-- access is denied.
CREATE TABLE user_commitment (
    version         integer PRIMARY KEY,
    text_fi         text NOT NULL CHECK (text_fi <> ''),
    text_sv         text NOT NULL CHECK (text_sv <> ''),
    text_en         text NOT NULL CHECK (text_en <> ''),
    published_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE commitment_acceptance (
    user_id         bigint NOT NULL REFERENCES staff_user (id),
    version         integer NOT NULL REFERENCES user_commitment (version),
    accepted_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, version)
);

-- The register's people. The client registry extends this; the gate needs
-- only who they are.
CREATE TABLE person (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    register_id     text NOT NULL REFERENCES register (id),
    -- Henkilötunnus; NULL for people without one.
    identity_code   text UNIQUE CHECK (identity_code ~ '^[0-9]{6}[-+A-FU-Y][0-9]{3}[0-9A-Y]$'),
    first_names     text NOT NULL CHECK (first_names <> ''),
    surname         text NOT NULL CHECK (surname <> ''),
    birth_date      date NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- Asiakkuus: a client relationship in a service area, in a unit.
CREATE TABLE client_relationship (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id       bigint NOT NULL REFERENCES person (id),
    register_id     text NOT NULL REFERENCES register (id),
    sub_register_id text NOT NULL REFERENCES sub_register (id),
    unit_id         text NOT NULL REFERENCES unit (id),
    started_on      date NOT NULL,
    ended_on        date CHECK (ended_on IS NULL OR ended_on >= started_on),
    end_reason      text CHECK ((ended_on IS NULL) = (end_reason IS NULL)),
    responsible_worker_id bigint NOT NULL REFERENCES staff_user (id),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX client_relationship_client ON client_relationship (client_id);
CREATE INDEX client_relationship_unit_area ON client_relationship (unit_id, sub_register_id);

-- The workers taking part (työryhmä), each for a period.
CREATE TABLE relationship_team_member (
    relationship_id bigint NOT NULL REFERENCES client_relationship (id),
    client_id       bigint NOT NULL REFERENCES person (id),
    user_id         bigint NOT NULL REFERENCES staff_user (id),
    valid_from      date NOT NULL,
    valid_until     date CHECK (valid_until IS NULL OR valid_until >= valid_from),
    PRIMARY KEY (relationship_id, user_id, valid_from)
);
CREATE INDEX relationship_team_member_user ON relationship_team_member (user_id);

-- Toimeksianto: a client commissioned to an outsourced provider.
CREATE TABLE commission (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id       bigint NOT NULL REFERENCES person (id),
    register_id     text NOT NULL REFERENCES register (id),
    provider_id     text NOT NULL REFERENCES provider (id),
    sub_register_id text NOT NULL REFERENCES sub_register (id),
    valid_from      date NOT NULL,
    valid_until     date CHECK (valid_until IS NULL OR valid_until >= valid_from),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX commission_client ON commission (client_id);

-- Server-side sessions: revocable, with idle and absolute limits. Only a
-- hash of the token is stored.
CREATE TABLE staff_session (
    token_hash      bytea PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES staff_user (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    -- When the user last gave their password in this session: sensitive
    -- actions need it recently.
    authenticated_at timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    ended_at        timestamptz,
    end_reason      text
);
CREATE INDEX staff_session_user ON staff_session (user_id);

-- Sign-in attempts, for throttling and lockout per account name and per
-- source address. The name is kept as typed (lower-cased) whether or not
-- such an account exists, so that a lockout reveals nothing.
CREATE TABLE sign_in_attempt (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username        text NOT NULL,
    source_address  text,
    succeeded       boolean NOT NULL,
    at              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_attempt_username ON sign_in_attempt (username, at);
CREATE INDEX sign_in_attempt_source ON sign_in_attempt (source_address, at);

-- Accesses to review: outside a relationship, and the other monitoring
-- flags. The outcome of a review is its own row.
CREATE TABLE access_flag (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    use_log_id      bigint NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('outside_relationship', 'turvakielto',
                        'own_family', 'same_surname', 'same_address', 'many_clients_in_hour',
                        'outside_working_hours')),
    client_id       bigint,
    user_id         bigint NOT NULL,
    unit_id         text,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX access_flag_open ON access_flag (created_at);
CREATE UNIQUE INDEX access_flag_once ON access_flag (use_log_id, kind);

-- How far the monitor has scanned the sealed use log (by seal position).
-- One row per scan; the latest is the highest.
CREATE TABLE monitoring_progress (
    scanned_through bigint PRIMARY KEY,
    scanned_at      timestamptz NOT NULL DEFAULT now()
);

-- A random sample of a unit's accesses in a period, for the supervisor.
CREATE TABLE monitoring_sample (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_id         text NOT NULL REFERENCES unit (id),
    period_from     timestamptz NOT NULL,
    period_to       timestamptz NOT NULL CHECK (period_to > period_from),
    drawn_by        bigint NOT NULL REFERENCES staff_user (id),
    drawn_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE monitoring_sample_item (
    sample_id       bigint NOT NULL REFERENCES monitoring_sample (id),
    use_log_id      bigint NOT NULL,
    PRIMARY KEY (sample_id, use_log_id)
);

CREATE TABLE monitoring_sample_review (
    sample_id       bigint NOT NULL,
    use_log_id      bigint NOT NULL,
    outcome         text NOT NULL CHECK (outcome IN ('justified', 'misuse_suspected', 'needs_investigation')),
    note            text NOT NULL,
    reviewed_by     bigint NOT NULL REFERENCES staff_user (id),
    reviewed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sample_id, use_log_id),
    FOREIGN KEY (sample_id, use_log_id) REFERENCES monitoring_sample_item (sample_id, use_log_id)
);

CREATE TABLE access_flag_review (
    flag_id         bigint PRIMARY KEY REFERENCES access_flag (id),
    outcome         text NOT NULL CHECK (outcome IN ('justified', 'misuse_suspected', 'needs_investigation')),
    note            text NOT NULL,
    reviewed_by     bigint NOT NULL REFERENCES staff_user (id),
    reviewed_at     timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT ON provider, unit, user_commitment TO kirjo_app;
GRANT SELECT ON staff_user TO kirjo_app;
GRANT UPDATE (password_hash, password_change_required, password_changed_at, duties_ended_at)
    ON staff_user TO kirjo_app;
GRANT SELECT, INSERT ON rights_proposal, rights_decision TO kirjo_app;
GRANT SELECT, INSERT ON role_grant TO kirjo_app;
GRANT UPDATE (ended_by_proposal_id, ended_at) ON role_grant TO kirjo_app;
GRANT SELECT, INSERT ON commitment_acceptance TO kirjo_app;
GRANT SELECT ON person, client_relationship, relationship_team_member, commission TO kirjo_app;
-- Relationships are opened, ended and staffed through the gate; they end,
-- they are never deleted.
GRANT INSERT (client_id, register_id, sub_register_id, unit_id, started_on, responsible_worker_id)
    ON client_relationship TO kirjo_app;
GRANT UPDATE (ended_on, end_reason) ON client_relationship TO kirjo_app;
GRANT INSERT (relationship_id, client_id, user_id, valid_from, valid_until)
    ON relationship_team_member TO kirjo_app;
GRANT UPDATE (valid_until) ON relationship_team_member TO kirjo_app;
GRANT SELECT, INSERT ON staff_session TO kirjo_app;
GRANT SELECT, INSERT (username, source_address, succeeded) ON sign_in_attempt TO kirjo_app;
GRANT UPDATE (last_seen_at, authenticated_at, ended_at, end_reason) ON staff_session TO kirjo_app;
GRANT SELECT, INSERT ON access_flag, access_flag_review, monitoring_progress TO kirjo_app;
GRANT SELECT, INSERT ON monitoring_sample, monitoring_sample_item, monitoring_sample_review TO kirjo_app;
GRANT EXECUTE ON FUNCTION kirjo_today() TO kirjo_app;
