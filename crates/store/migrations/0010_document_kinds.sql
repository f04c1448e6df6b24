-- The rest of the case documents.
--
-- The controller's address and phone, which a decision gives for more
-- information (lisatietojen_antaja); the document kinds that belong to a
-- service task (NULL: all); and a minor's prohibition that covers only some
-- of the child's documents (the series of each, so corrections are covered
-- too; NULL: all of them).
ALTER TABLE controller
    ADD COLUMN address text NOT NULL DEFAULT '',
    ADD COLUMN phone   text NOT NULL DEFAULT '';

ALTER TABLE service_task
    ADD COLUMN document_kinds text[] CHECK (document_kinds IS NULL OR cardinality(document_kinds) > 0);

ALTER TABLE minor_prohibition
    ADD COLUMN document_series bigint[] CHECK (document_series IS NULL OR cardinality(document_series) > 0),
    ADD COLUMN ended_by bigint REFERENCES staff_user (id);

GRANT UPDATE (ended_by) ON minor_prohibition TO kirjo_app;

-- The kinds of `kirjo_domain::document::kinds()`.
ALTER TABLE document DROP CONSTRAINT document_kind_check;
ALTER TABLE document ADD CONSTRAINT document_kind_check CHECK (kind IN (
    'narrative', 'child_welfare_notification', 'intake', 'application',
    'service_need_assessment', 'client_plan', 'activation_plan', 'decision',
    'statement', 'agreement', 'information_received'));
