-- Foundation: the register structure from the configuration, and the record
-- of demo data loads. Every table states its grants to the runtime role
-- kirjo_app explicitly: the runtime role gets only what the app needs.

-- Rekisterinpitäjä. One row: the controller of this installation.
CREATE TABLE controller (
    id              smallint PRIMARY KEY CHECK (id = 1),
    name            text NOT NULL CHECK (name <> ''),
    business_id     text NOT NULL CHECK (business_id ~ '^[0-9]{7}-[0-9]$'),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- A register of the controller (e.g. the social welfare client register).
CREATE TABLE register (
    id                  text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_]{0,63}$'),
    name                text NOT NULL CHECK (name <> ''),
    retention_rule_set  text NOT NULL CHECK (retention_rule_set IN ('703/2023', '254/2015')),
    authority_register  boolean NOT NULL,
    in_configuration    boolean NOT NULL DEFAULT true,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

-- Osarekisteri: a part of a register by service area.
CREATE TABLE sub_register (
    id                  text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_]{0,63}$'),
    register_id         text NOT NULL REFERENCES register (id),
    name_fi             text NOT NULL CHECK (name_fi <> ''),
    name_sv             text NOT NULL CHECK (name_sv <> ''),
    name_en             text NOT NULL CHECK (name_en <> ''),
    in_configuration    boolean NOT NULL DEFAULT true,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

-- Palvelutehtävä of a sub-register; code from THL list 1.2.246.537.6.1221.
CREATE TABLE service_task (
    id                  text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_]{0,63}$'),
    sub_register_id     text NOT NULL REFERENCES sub_register (id),
    code                text CHECK (code ~ '^[0-9]+$'),
    name_fi             text NOT NULL CHECK (name_fi <> ''),
    name_sv             text NOT NULL CHECK (name_sv <> ''),
    name_en             text NOT NULL CHECK (name_en <> ''),
    in_configuration    boolean NOT NULL DEFAULT true,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

-- Each part of the demo data is loaded once, by the owner role; its row says when.
CREATE TABLE demo_load (
    part        text PRIMARY KEY,
    loaded_at   timestamptz NOT NULL DEFAULT now()
);

-- The register structure is written by the owner role at start, from the
-- configuration; the runtime role only reads it.
GRANT SELECT ON controller, register, sub_register, service_task TO kirjo_app;
GRANT SELECT ON demo_load TO kirjo_app;
