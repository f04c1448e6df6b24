-- Client documents: drafts, completed documents and their corrections.
-- A completed version never changes (a trigger refuses it): a correction is
-- a new completed version that points at the one it corrects, with who,
-- when and why; the original stays. Nothing is deleted: a draft its author
-- discards is marked so, and the discarding is in the use log.

CREATE TABLE document (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The first version's id for a correction; NULL for a first version.
    series_id       bigint REFERENCES document (id),
    version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    client_id       bigint NOT NULL REFERENCES person (id),
    register_id     text NOT NULL REFERENCES register (id),
    -- The service area the document belongs to: who may read it follows.
    sub_register_id text NOT NULL REFERENCES sub_register (id),
    -- Palvelutehtävä: the service task, one of the area's.
    service_task_id text NOT NULL REFERENCES service_task (id),
    kind            text NOT NULL CHECK (kind IN ('narrative', 'child_welfare_notification')),
    -- The kind's own fields, as the domain type checked them.
    content         jsonb NOT NULL,
    -- 703/2023 §37-38, filled in by Kirjo, never typed: the document's
    -- name and national definition, the client, the organiser and the
    -- producer of the service, the author and their title, the time.
    name            text NOT NULL CHECK (name <> ''),
    definition_oid  text NOT NULL,
    client_first_names text NOT NULL,
    client_surname  text NOT NULL,
    client_name     text GENERATED ALWAYS AS (client_first_names || ' ' || client_surname) STORED,
    client_identity_code text,
    organiser       text NOT NULL,
    producer        text NOT NULL,
    author_id       bigint NOT NULL REFERENCES staff_user (id),
    author_name     text NOT NULL,
    author_title    text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    state           text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'completed', 'discarded')),
    completed_at    timestamptz,
    discarded_at    timestamptz,
    -- A correction: the version it corrects, and why.
    corrects_id     bigint REFERENCES document (id),
    correction_reason text,
    CHECK ((corrects_id IS NULL) = (correction_reason IS NULL)),
    CHECK ((corrects_id IS NULL) = (series_id IS NULL)),
    CHECK (state <> 'completed' OR completed_at IS NOT NULL)
);
CREATE INDEX document_client ON document (client_id, created_at);
CREATE UNIQUE INDEX document_version ON document (coalesce(series_id, id), version);

-- Completed and discarded versions are final.
CREATE FUNCTION kirjo_document_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state <> 'draft' THEN
        RAISE EXCEPTION 'document % is %: it is never changed in place', OLD.id, OLD.state
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER document_is_final BEFORE UPDATE OR DELETE ON document
    FOR EACH ROW EXECUTE FUNCTION kirjo_document_is_final();

GRANT SELECT, INSERT ON document TO kirjo_app;
GRANT UPDATE (content, updated_at, state, completed_at, discarded_at) ON document TO kirjo_app;
