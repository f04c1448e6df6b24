-- The start page's worklist: a user's own drafts, newest first, without
-- reading the documents of the county.
CREATE INDEX document_drafts_by_author ON document (author_id, updated_at DESC) WHERE state = 'draft';
