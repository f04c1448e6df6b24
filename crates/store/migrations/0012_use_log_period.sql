-- A period of the use log, for the supervisor's sample of their unit's
-- accesses (monitoring::draw_sample): without it the sample read the whole
-- log, years of a county's uses, to pick a month's. The log is written in
-- time order and never changed, so a block range index is exact enough,
-- and tiny.
CREATE INDEX use_log_logged_at ON use_log USING brin (logged_at);
