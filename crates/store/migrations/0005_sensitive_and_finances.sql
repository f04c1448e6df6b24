-- Special-category and sensitive data, and finances: each kept apart from
-- the basic data and flagged, so that the gate can show them only where
-- needed (ViewSensitiveData, ViewFinances). Nothing is deleted: an entry
-- that no longer holds ends.

-- Erityiset henkilötietoryhmät ja arkaluonteiset tiedot.
CREATE TABLE person_sensitive (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       bigint NOT NULL REFERENCES person (id),
    category        text NOT NULL CHECK (category IN ('ethnic_origin', 'health',
                        'parent_imprisonment', 'parent_community_service')),
    -- Art. 9 special category (ethnic origin, health), or sensitive by law.
    special_category boolean GENERATED ALWAYS AS (category IN ('ethnic_origin', 'health')) STORED,
    content         text NOT NULL CHECK (content <> ''),
    recorded_by     bigint NOT NULL REFERENCES staff_user (id),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    ended_at        timestamptz
);
CREATE INDEX person_sensitive_person ON person_sensitive (person_id);

-- Tulot ja varat.
CREATE TABLE person_income (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       bigint NOT NULL REFERENCES person (id),
    kind            text NOT NULL CHECK (kind IN ('income', 'asset')),
    description     text NOT NULL CHECK (description <> ''),
    -- Euro cents; an income per month, an asset as its value.
    amount_cents    bigint NOT NULL CHECK (amount_cents >= 0),
    valid_from      date,
    valid_until     date CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from),
    source          text NOT NULL REFERENCES person_source (name),
    recorded_by     bigint REFERENCES staff_user (id),
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_income_person ON person_income (person_id);

CREATE TABLE bank_account (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       bigint NOT NULL REFERENCES person (id),
    -- Validated IBAN, uppercase without spaces.
    iban            text NOT NULL CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
    source          text NOT NULL REFERENCES person_source (name),
    recorded_by     bigint REFERENCES staff_user (id),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    ended_at        timestamptz
);
CREATE INDEX bank_account_person ON bank_account (person_id);

GRANT SELECT ON person_sensitive, person_income, bank_account TO kirjo_app;
GRANT INSERT (person_id, category, content, recorded_by) ON person_sensitive TO kirjo_app;
GRANT UPDATE (ended_at) ON person_sensitive TO kirjo_app;
GRANT INSERT (person_id, kind, description, amount_cents, valid_from, valid_until, source, recorded_by)
    ON person_income TO kirjo_app;
GRANT UPDATE (valid_until) ON person_income TO kirjo_app;
GRANT INSERT (person_id, iban, source, recorded_by) ON bank_account TO kirjo_app;
GRANT UPDATE (ended_at) ON bank_account TO kirjo_app;
