-- The decision drafts waiting for a decision maker (`decisions::awaiting`,
-- the list on /matters): read by the named maker's id among a county's
-- millions of documents, found by the plan guard scanning them all.
CREATE INDEX document_decision_awaiting ON document ((content->>'decision_maker'))
    WHERE kind = 'decision' AND state = 'draft';
