-- A minor's prohibition on giving their data to a guardian (703/2023 §51(2)):
-- recorded with its reason, or with the reason it was not accepted (the
-- minor's age and maturity, or their interest, decide). Nothing is deleted:
-- a prohibition that no longer holds ends.
CREATE TABLE minor_prohibition (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id       bigint NOT NULL REFERENCES person (id),
    made_on         date NOT NULL,
    accepted        boolean NOT NULL,
    -- The minor's reason, or why the prohibition was not accepted.
    reason          text NOT NULL CHECK (reason <> ''),
    recorded_by     bigint NOT NULL REFERENCES staff_user (id),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    ended_on        date,
    end_reason      text,
    CHECK ((ended_on IS NULL) = (end_reason IS NULL))
);
CREATE INDEX minor_prohibition_person ON minor_prohibition (person_id);

GRANT SELECT, INSERT ON minor_prohibition TO kirjo_app;
GRANT UPDATE (ended_on, end_reason) ON minor_prohibition TO kirjo_app;
