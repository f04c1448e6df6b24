-- Optimistic concurrency (docs/concurrency.md): every record edited in
-- place has a revision, raised by the database on every change, whoever
-- makes it. An edit names the revision it was made from and is written
-- only if that is still the stored one (`... WHERE revision = $n`);
-- otherwise the editor is told, and nothing is overwritten.
--
-- Edited in place: a draft document (its content, then its completion or
-- discarding) and a person's basic data (a worker's form, or a change from
-- the population register). Everything else is appended, or ended once by
-- a guarded transition (`... AND ended_on IS NULL`), and needs no revision.

ALTER TABLE document ADD COLUMN revision bigint NOT NULL DEFAULT 1 CHECK (revision >= 1);
ALTER TABLE person ADD COLUMN revision bigint NOT NULL DEFAULT 1 CHECK (revision >= 1);

CREATE FUNCTION kirjo_next_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.revision := OLD.revision + 1;
    RETURN NEW;
END $$;

-- After the finality trigger (triggers fire in name order): a final
-- document is refused before its revision would be raised.
CREATE TRIGGER document_zz_next_revision BEFORE UPDATE ON document
    FOR EACH ROW EXECUTE FUNCTION kirjo_next_revision();
CREATE TRIGGER person_next_revision BEFORE UPDATE ON person
    FOR EACH ROW EXECUTE FUNCTION kirjo_next_revision();

-- The finality trigger names itself, so that an edit racing the completion
-- is told apart from any other check (answered 409, not 500).
CREATE OR REPLACE FUNCTION kirjo_document_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state <> 'draft' THEN
        RAISE EXCEPTION 'document % is %: it is never changed in place', OLD.id, OLD.state
            USING ERRCODE = 'check_violation', CONSTRAINT = 'document_is_final';
    END IF;
    RETURN NEW;
END $$;
