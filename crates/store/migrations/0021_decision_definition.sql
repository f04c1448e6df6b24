-- Which national decision a decision written under a service task is
-- (`child_welfare`, `families`, `working_age`, `elderly`; Sosmeta 11002,
-- 11001, 11052, 11000), from the configuration. NULL: a decision under the
-- task is not exported (docs/decisions.md).
ALTER TABLE service_task ADD COLUMN decision_definition text
    CHECK (decision_definition IN ('child_welfare', 'families', 'working_age', 'elderly'));
