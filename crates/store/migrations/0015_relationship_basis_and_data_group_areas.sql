-- Issue 14 (access integrity).
--
-- 1. A client relationship is opened on a basis Kirjo records (703/2023 §9:
--    a relationship the system can verify): a document that starts client
--    work in that service area (a child welfare notification, an
--    application, a contact or intake), an assignment by the unit's
--    supervisor, or a configured stated purpose where the service area
--    allows opening from outside. A start in the past needs a reason.
--    Relationships from before this migration are `legacy`: opened before
--    Kirjo kept a basis, and shown as such. The runtime role names the
--    basis of every new one (the column has no default).
ALTER TABLE client_relationship
    ADD COLUMN basis             text NOT NULL DEFAULT 'legacy'
        CHECK (basis IN ('legacy', 'document', 'assignment', 'purpose')),
    ADD COLUMN basis_document_id bigint REFERENCES document (id),
    ADD COLUMN assigned_by       bigint REFERENCES staff_user (id),
    ADD COLUMN purpose_id        text CHECK (btrim(purpose_id) <> ''),
    ADD COLUMN purpose_text      text CHECK (btrim(purpose_text) <> ''),
    ADD COLUMN backdating_reason text CHECK (btrim(backdating_reason) <> ''),
    ADD COLUMN opened_by         bigint REFERENCES staff_user (id);

ALTER TABLE client_relationship ALTER COLUMN basis DROP DEFAULT;

ALTER TABLE client_relationship
    ADD CONSTRAINT client_relationship_basis_named CHECK (
        CASE basis
            WHEN 'document' THEN basis_document_id IS NOT NULL
            WHEN 'assignment' THEN assigned_by IS NOT NULL
            WHEN 'purpose' THEN purpose_id IS NOT NULL AND purpose_text IS NOT NULL
            ELSE true
        END),
    ADD CONSTRAINT client_relationship_backdated_with_reason CHECK (
        basis = 'legacy' OR backdating_reason IS NOT NULL
        OR started_on >= (created_at AT TIME ZONE 'Europe/Helsinki')::date);

REVOKE INSERT ON client_relationship FROM kirjo_app;
GRANT INSERT (client_id, register_id, sub_register_id, unit_id, started_on, responsible_worker_id,
              basis, basis_document_id, assigned_by, purpose_id, purpose_text, backdating_reason,
              opened_by)
    ON client_relationship TO kirjo_app;

-- Flags for review: a relationship opened on a person the opener (or the
-- worker assigned) could not already see, one opened by a stated purpose,
-- and one whose start is backdated.
ALTER TABLE access_flag DROP CONSTRAINT access_flag_kind_check;
ALTER TABLE access_flag ADD CONSTRAINT access_flag_kind_check CHECK (kind IN (
    'outside_relationship', 'turvakielto', 'own_family', 'same_surname', 'same_address',
    'many_clients_in_hour', 'outside_working_hours',
    'relationship_opened', 'relationship_by_purpose', 'relationship_backdated',
    'relation_to_unseen'));

-- 5. A relation recorded by a user who could not see the related person
--    names no one: the related person's data are shown only to a user who
--    may see them. Relations from before, and those of the population
--    register, were recorded by someone who could: shown as before.
ALTER TABLE person_relation
    ADD COLUMN related_seen_by_recorder boolean NOT NULL DEFAULT true;
GRANT INSERT (person_id, related_id, kind, scope, right_of_access, valid_from, valid_until, source,
              related_seen_by_recorder)
    ON person_relation TO kirjo_app;

-- 3. Every data group in a service area, as documents are. Sensitive data,
--    incomes and assets, bank accounts and a minor's prohibitions carry the
--    service area of the relationship under which they were recorded (the
--    area the gate's decision named); they are read only in the areas where
--    the user has the client for that data group's action.
--
--    Rows from before are given the area of the person's earliest
--    relationship in a unit and area where the recorder held a client-work
--    role; failing that, the person's earliest relationship's area. A row
--    left without one (a person with no relationship at all) stays NULL and
--    is read by no one until an area is given to it.
ALTER TABLE person_sensitive ADD COLUMN sub_register_id text REFERENCES sub_register (id);
ALTER TABLE person_income    ADD COLUMN sub_register_id text REFERENCES sub_register (id);
ALTER TABLE bank_account     ADD COLUMN sub_register_id text REFERENCES sub_register (id);
ALTER TABLE minor_prohibition ADD COLUMN sub_register_id text REFERENCES sub_register (id);

CREATE FUNCTION pg_temp.area_of(person bigint, recorder bigint) RETURNS text
    LANGUAGE sql STABLE
    RETURN coalesce(
        (SELECT r.sub_register_id FROM client_relationship r
         JOIN role_grant g ON g.unit_id = r.unit_id AND g.sub_register_id = r.sub_register_id
         WHERE r.client_id = person AND g.user_id = recorder
           AND g.role IN ('client_worker', 'unit_supervisor')
         ORDER BY r.started_on, r.id LIMIT 1),
        (SELECT r.sub_register_id FROM client_relationship r
         WHERE r.client_id = person ORDER BY r.started_on, r.id LIMIT 1));

UPDATE person_sensitive SET sub_register_id = pg_temp.area_of(person_id, recorded_by);
UPDATE person_income SET sub_register_id = pg_temp.area_of(person_id, recorded_by);
UPDATE bank_account SET sub_register_id = pg_temp.area_of(person_id, recorded_by);
UPDATE minor_prohibition SET sub_register_id = pg_temp.area_of(person_id, recorded_by);

CREATE INDEX person_sensitive_person_area ON person_sensitive (person_id, sub_register_id);

REVOKE INSERT ON person_sensitive, person_income, bank_account FROM kirjo_app;
GRANT INSERT (person_id, category, content, recorded_by, sub_register_id) ON person_sensitive TO kirjo_app;
GRANT INSERT (person_id, kind, description, amount_cents, valid_from, valid_until, source, recorded_by,
              sub_register_id)
    ON person_income TO kirjo_app;
GRANT INSERT (person_id, iban, source, recorded_by, sub_register_id) ON bank_account TO kirjo_app;
REVOKE INSERT ON minor_prohibition FROM kirjo_app;
GRANT INSERT (person_id, made_on, accepted, reason, recorded_by, document_series, child_age,
              age_and_maturity, mature_enough, weighty_reason, clearly_against_interest,
              child_told_on, sub_register_id)
    ON minor_prohibition TO kirjo_app;
DROP FUNCTION pg_temp.area_of(bigint, bigint);
