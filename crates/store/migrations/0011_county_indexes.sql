-- Indexes a county's worth of data needs (a million people, tens of
-- millions of documents): without them a timeline scanned the whole
-- document table once per document listed, and the deadline lists and the
-- search tested every person of the county.

-- "Is this version corrected?" (NOT EXISTS ... n.corrects_id = d.id).
CREATE INDEX document_corrects ON document (corrects_id) WHERE corrects_id IS NOT NULL;

-- A worker's own relationships, where the visible set of a worker starts.
CREATE INDEX client_relationship_worker ON client_relationship (responsible_worker_id);

-- A provider's commissions, where a provider worker's visible set starts.
CREATE INDEX commission_provider ON commission (provider_id, sub_register_id);

-- The child welfare notifications on the deadline lists, by client and
-- service area: small beside the documents as a whole.
CREATE INDEX document_notification ON document (client_id, sub_register_id)
    WHERE kind = 'child_welfare_notification' AND state <> 'discarded';
