-- The client registry: who the register's people are, where they live, who
-- their family and representatives are, and turvakielto. Every table of a
-- person's data carries person_id (and the register through person).
-- Every fact has a source: the population register (vtj), the client, or a
-- worker, and validity dates where it can change.

-- Trusted extensions: the database owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- Case- and accent-folded text for name search: "Mäkinen" and "makinen"
-- fold alike. Immutable so that it can be indexed.
CREATE FUNCTION kirjo_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, t));

ALTER TABLE person
    ADD COLUMN calling_name      text,
    -- Statistics Finland municipality code.
    ADD COLUMN home_municipality text CHECK (home_municipality ~ '^[0-9]{3}$'),
    ADD COLUMN citizenship       text[] NOT NULL DEFAULT '{}',
    -- ISO 639-1 codes (fi, sv, se = Northern Sami, ...).
    ADD COLUMN mother_tongue     text CHECK (mother_tongue ~ '^[a-z]{2,3}$'),
    ADD COLUMN service_language  text CHECK (service_language ~ '^[a-z]{2,3}$'),
    ADD COLUMN occupation        text,
    ADD COLUMN workplace         text,
    ADD COLUMN died_on           date,
    ADD COLUMN updated_at        timestamptz NOT NULL DEFAULT now();

CREATE INDEX person_name_trgm ON person
    USING gin ((kirjo_fold(surname || ' ' || first_names)) gin_trgm_ops);
CREATE INDEX person_birth_date ON person (birth_date);

CREATE TABLE person_source (
    name text PRIMARY KEY
);
INSERT INTO person_source VALUES ('vtj'), ('client'), ('worker');

-- Addresses: permanent, temporary and postal, each for a period.
CREATE TABLE person_address (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       bigint NOT NULL REFERENCES person (id),
    kind            text NOT NULL CHECK (kind IN ('permanent', 'temporary', 'postal')),
    street          text NOT NULL CHECK (street <> ''),
    postal_code     text CHECK (postal_code ~ '^[0-9]{5}$'),
    post_office     text,
    municipality    text CHECK (municipality ~ '^[0-9]{3}$'),
    country         text NOT NULL DEFAULT 'FI' CHECK (country ~ '^[A-Z]{2}$'),
    valid_from      date,
    valid_until     date CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from),
    source          text NOT NULL REFERENCES person_source (name),
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_address_person ON person_address (person_id);

-- Phone numbers and email addresses.
CREATE TABLE person_contact (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       bigint NOT NULL REFERENCES person (id),
    kind            text NOT NULL CHECK (kind IN ('phone', 'email')),
    value           text NOT NULL CHECK (value <> ''),
    source          text NOT NULL REFERENCES person_source (name),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    -- A contact is never deleted: it ends, and the history stays.
    ended_at        timestamptz
);
CREATE INDEX person_contact_person ON person_contact (person_id);

-- Turvakielto: non-disclosure for personal safety. While in force, the
-- person's address, home municipality and contact data are hidden from
-- everyone who does not state a reason to see them (logged), and never
-- leave the system.
CREATE TABLE turvakielto (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       bigint NOT NULL REFERENCES person (id),
    valid_from      date NOT NULL,
    valid_until     date CHECK (valid_until IS NULL OR valid_until >= valid_from),
    source          text NOT NULL REFERENCES person_source (name),
    recorded_by     bigint REFERENCES staff_user (id),
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX turvakielto_person ON turvakielto (person_id);

-- Family and representatives: custody (huoltajuus) of a child under 18, a
-- parent without custody and their right of access, a legal representative
-- (edunvalvoja) with the scope of the mandate, an authorised person
-- (valtuutettu) named by the client, next of kin, contacts, household.
CREATE TABLE person_relation (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       bigint NOT NULL REFERENCES person (id),
    related_id      bigint NOT NULL REFERENCES person (id),
    kind            text NOT NULL CHECK (kind IN ('guardian', 'parent_without_custody',
                        'legal_representative', 'authorised_person', 'next_of_kin',
                        'contact_person', 'household_member')),
    -- For a legal representative or an authorised person: what the mandate covers.
    scope           text,
    -- For a parent without custody: the right of access (tapaamisoikeus).
    right_of_access boolean,
    valid_from      date,
    valid_until     date CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from),
    source          text NOT NULL REFERENCES person_source (name),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (person_id <> related_id)
);
CREATE INDEX person_relation_person ON person_relation (person_id);
CREATE INDEX person_relation_related ON person_relation (related_id);

-- Population register changes applied, each once: the same batch twice
-- changes nothing.
CREATE TABLE vtj_change (
    change_id       text PRIMARY KEY CHECK (change_id <> ''),
    kind            text NOT NULL,
    person_id       bigint REFERENCES person (id),
    batch_file      text NOT NULL,
    line            integer NOT NULL,
    applied_at      timestamptz NOT NULL DEFAULT now()
);

-- A staff member's own person record, where the register has one: so that
-- the monitor can flag access to one's own family and to people living at
-- one's own address.
ALTER TABLE staff_user ADD COLUMN person_id bigint REFERENCES person (id);

GRANT SELECT ON person_source TO kirjo_app;
GRANT SELECT ON person_address, person_contact, turvakielto, person_relation, vtj_change TO kirjo_app;
GRANT EXECUTE ON FUNCTION kirjo_fold(text) TO kirjo_app;

-- Workers add people and keep their basic data current, through the gate.
-- Column grants: the runtime role cannot set ids, timestamps or death dates
-- (those come from the population register import, run by the owner).
GRANT INSERT (register_id, identity_code, first_names, surname, calling_name, birth_date,
              home_municipality, citizenship, mother_tongue, service_language, occupation, workplace)
    ON person TO kirjo_app;
GRANT UPDATE (first_names, surname, calling_name, home_municipality, citizenship, mother_tongue,
              service_language, occupation, workplace, updated_at)
    ON person TO kirjo_app;
GRANT INSERT (person_id, kind, street, postal_code, post_office, municipality, country,
              valid_from, valid_until, source)
    ON person_address TO kirjo_app;
GRANT UPDATE (valid_until) ON person_address TO kirjo_app;
GRANT INSERT (person_id, kind, value, source) ON person_contact TO kirjo_app;
GRANT UPDATE (ended_at) ON person_contact TO kirjo_app;
GRANT INSERT (person_id, related_id, kind, scope, right_of_access, valid_from, valid_until, source)
    ON person_relation TO kirjo_app;
GRANT INSERT (person_id, valid_from, valid_until, source, recorded_by) ON turvakielto TO kirjo_app;
