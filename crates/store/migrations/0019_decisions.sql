-- Decisions as acts of a decision maker, their serving and finality, the
-- appeal templates of the configuration, staff names as separate fields,
-- and the second-factor step-up of a session. See docs/decisions.md.

-- Staff keep first names and surname as separate fields (the national
-- structures name people so). Kept with the whole name, which stays what
-- pages show; filled for existing users by taking the last word as the
-- surname, and by a trigger for users made without them.
ALTER TABLE staff_user ADD COLUMN first_names text, ADD COLUMN surname text;
UPDATE staff_user SET
    first_names = CASE WHEN position(' ' IN btrim(name)) > 0
                       THEN btrim(regexp_replace(btrim(name), '\s+\S+$', '')) ELSE btrim(name) END,
    surname = CASE WHEN position(' ' IN btrim(name)) > 0
                   THEN substring(btrim(name) FROM '(\S+)$') ELSE btrim(name) END;
CREATE FUNCTION staff_user_names() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.first_names IS NULL OR NEW.surname IS NULL THEN
        NEW.first_names := coalesce(NEW.first_names, CASE WHEN position(' ' IN btrim(NEW.name)) > 0
            THEN btrim(regexp_replace(btrim(NEW.name), '\s+\S+$', '')) ELSE btrim(NEW.name) END);
        NEW.surname := coalesce(NEW.surname, CASE WHEN position(' ' IN btrim(NEW.name)) > 0
            THEN substring(btrim(NEW.name) FROM '(\S+)$') ELSE btrim(NEW.name) END);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER staff_user_names BEFORE INSERT ON staff_user
    FOR EACH ROW EXECUTE FUNCTION staff_user_names();
ALTER TABLE staff_user ALTER COLUMN first_names SET NOT NULL, ALTER COLUMN surname SET NOT NULL;

-- When the user last gave a second-factor code in this session (at sign-in
-- or at a step-up): deciding a decision needs it recently.
ALTER TABLE staff_session ADD COLUMN second_factor_at timestamptz;
GRANT UPDATE (second_factor_at) ON staff_session TO kirjo_app;

-- Appeal instructions by legal basis, from the configuration at every
-- start (kirjo_domain::decision::AppealTemplate).
CREATE TABLE appeal_template (
    id              text PRIMARY KEY,
    position        integer NOT NULL,
    legal_bases     text[] NOT NULL CHECK (cardinality(legal_bases) > 0),
    means           text NOT NULL CHECK (means IN ('appeal', 'rectification')),
    days            integer NOT NULL CHECK (days > 0),
    authority_fi    text NOT NULL,
    authority_sv    text NOT NULL,
    authority_en    text NOT NULL,
    instructions_fi text NOT NULL CHECK (instructions_fi <> ''),
    instructions_sv text NOT NULL CHECK (instructions_sv <> ''),
    instructions_en text NOT NULL CHECK (instructions_en <> ''),
    in_configuration boolean NOT NULL DEFAULT true
);
GRANT SELECT ON appeal_template TO kirjo_app;

-- A decision decided: by whom (the decision maker named in the draft, who
-- decided it themselves), when, their names as they were, and the
-- template whose instructions it carries. Once.
CREATE TABLE decision_act (
    document_id     bigint PRIMARY KEY REFERENCES document (id),
    drafted_by      bigint NOT NULL REFERENCES staff_user (id),
    decided_by      bigint NOT NULL REFERENCES staff_user (id),
    decided_at      timestamptz NOT NULL DEFAULT now(),
    maker_first_names text NOT NULL,
    maker_surname   text NOT NULL,
    maker_title     text NOT NULL,
    appeal_template_id text NOT NULL REFERENCES appeal_template (id),
    -- Final (lainvoimainen): after every party's appeal period, or with a
    -- reason when the appeal was waived. Once.
    final_ground    text CHECK (final_ground IN ('appeal_periods_passed', 'appeal_waived')),
    final_reason    text,
    final_by        bigint REFERENCES staff_user (id),
    final_at        timestamptz,
    CHECK ((final_ground IS NULL) = (final_at IS NULL) AND (final_ground IS NULL) = (final_by IS NULL)),
    CHECK (final_ground IS DISTINCT FROM 'appeal_waived' OR coalesce(btrim(final_reason), '') <> '')
);
GRANT SELECT, INSERT ON decision_act TO kirjo_app;
GRANT UPDATE (final_ground, final_reason, final_by, final_at) ON decision_act TO kirjo_app;

-- The serving of a decided decision to each of its parties (by its place
-- in the decision's list): how, when it was sent or handed, a receipt's
-- day, and the day of service and last day of appeal Kirjo computed from
-- them (kirjo_domain::decision). Recorded once per party.
CREATE TABLE decision_service (
    document_id     bigint NOT NULL REFERENCES decision_act (document_id),
    party           integer NOT NULL CHECK (party >= 0),
    party_name      text NOT NULL,
    method          text NOT NULL CHECK (method IN ('post', 'in_person', 'electronic')),
    sent_on         date NOT NULL,
    receipt_on      date CHECK (receipt_on IS NULL OR (method = 'post' AND receipt_on >= sent_on)),
    served_on       date NOT NULL CHECK (served_on >= sent_on),
    appeal_ends_on  date NOT NULL CHECK (appeal_ends_on > served_on),
    recorded_by     bigint NOT NULL REFERENCES staff_user (id),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (document_id, party)
);
GRANT SELECT, INSERT ON decision_service TO kirjo_app;
