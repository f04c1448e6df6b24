-- Files attached to documents: added to a draft by its author, and from its
-- completion on as final as the document (a trigger refuses changes). Kept
-- with their SHA-256, a size limit and a type allowlist; reading one is a
-- logged use.
CREATE TABLE document_attachment (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id     bigint NOT NULL REFERENCES document (id),
    file_name       text NOT NULL CHECK (file_name <> '' AND length(file_name) <= 200),
    media_type      text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png', 'text/plain')),
    size_bytes      integer NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10485760),
    sha256          bytea NOT NULL CHECK (length(sha256) = 32),
    content         bytea NOT NULL CHECK (length(content) = size_bytes),
    added_by        bigint NOT NULL REFERENCES staff_user (id),
    added_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX document_attachment_document ON document_attachment (document_id);

CREATE FUNCTION kirjo_attachment_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'attachment % is never changed or deleted', OLD.id USING ERRCODE = 'check_violation';
END $$;
CREATE TRIGGER document_attachment_is_final BEFORE UPDATE OR DELETE ON document_attachment
    FOR EACH ROW EXECUTE FUNCTION kirjo_attachment_is_final();

GRANT SELECT, INSERT ON document_attachment TO kirjo_app;
