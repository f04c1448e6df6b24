-- A minor's prohibition is recorded with its assessment (703/2023 §51(2),
-- §40): the child's age (Kirjo's, from the birth date) and the worker's
-- assessment of their maturity, whether by those the child can judge what
-- the prohibition means, the weighty reason the child gives, whether the
-- prohibition is clearly against the child's interest, and when the child
-- was told the outcome. An accepted prohibition follows from the
-- assessment: the child can judge it and it is not clearly against their
-- interest.
--
-- Nothing is backdated: a prohibition is made on the day it is recorded
-- (Europe/Helsinki), and ends on the day its end is recorded or later.
--
-- Prohibitions recorded before this migration have no assessment; they are
-- marked `assessed = false` and stay as they were. The runtime role cannot
-- insert such a row: it inserts only the columns below, never `assessed`
-- or `recorded_at`.
ALTER TABLE minor_prohibition
    ADD COLUMN assessed                 boolean NOT NULL DEFAULT false,
    ADD COLUMN child_age                smallint CHECK (child_age BETWEEN 0 AND 17),
    ADD COLUMN age_and_maturity         text CHECK (btrim(age_and_maturity) <> ''),
    ADD COLUMN mature_enough            boolean,
    ADD COLUMN weighty_reason           text CHECK (btrim(weighty_reason) <> ''),
    ADD COLUMN clearly_against_interest boolean,
    ADD COLUMN child_told_on            date,
    -- When the end was recorded (NULL for ends recorded before this).
    ADD COLUMN ended_at                 timestamptz;

ALTER TABLE minor_prohibition ALTER COLUMN assessed SET DEFAULT true;

ALTER TABLE minor_prohibition
    ADD CONSTRAINT minor_prohibition_assessment_complete CHECK (
        NOT assessed
        OR (child_age IS NOT NULL AND age_and_maturity IS NOT NULL AND mature_enough IS NOT NULL
            AND weighty_reason IS NOT NULL AND clearly_against_interest IS NOT NULL
            AND child_told_on IS NOT NULL)),
    ADD CONSTRAINT minor_prohibition_accepted_by_assessment CHECK (
        NOT (assessed AND accepted) OR (mature_enough AND NOT clearly_against_interest)),
    ADD CONSTRAINT minor_prohibition_made_on_the_day_recorded CHECK (
        NOT assessed OR made_on = (recorded_at AT TIME ZONE 'Europe/Helsinki')::date),
    ADD CONSTRAINT minor_prohibition_child_told_when_made CHECK (
        child_told_on IS NULL
        OR (child_told_on >= made_on
            AND child_told_on <= (recorded_at AT TIME ZONE 'Europe/Helsinki')::date)),
    ADD CONSTRAINT minor_prohibition_end_not_backdated CHECK (
        ended_at IS NULL
        OR (ended_on IS NOT NULL AND ended_on >= (ended_at AT TIME ZONE 'Europe/Helsinki')::date)),
    ADD CONSTRAINT minor_prohibition_end_recorded_when CHECK (
        NOT assessed OR (ended_on IS NULL) = (ended_at IS NULL));

REVOKE INSERT ON minor_prohibition FROM kirjo_app;
GRANT INSERT (person_id, made_on, accepted, reason, recorded_by, document_series, child_age,
              age_and_maturity, mature_enough, weighty_reason, clearly_against_interest,
              child_told_on)
    ON minor_prohibition TO kirjo_app;
GRANT UPDATE (ended_at) ON minor_prohibition TO kirjo_app;
