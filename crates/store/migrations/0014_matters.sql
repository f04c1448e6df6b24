-- Matters (asia): what ties a notification to the assessment it started,
-- with the statutory clock from the day the matter became pending. See
-- docs/matters.md and kirjo_domain::matter.

CREATE TABLE matter (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_id       bigint NOT NULL REFERENCES person (id),
    register_id     text NOT NULL REFERENCES register (id),
    -- The service area: who may see the matter follows, as for documents.
    sub_register_id text NOT NULL REFERENCES sub_register (id),
    service_task_id text NOT NULL REFERENCES service_task (id),
    unit_id         text NOT NULL REFERENCES unit (id),
    responsible_worker_id bigint NOT NULL REFERENCES staff_user (id),
    started_by      text NOT NULL CHECK (started_by IN ('child_welfare_notification', 'assessment_request',
                        'anticipatory_notification', 'other_contact', 'application')),
    -- The day the matter became pending (the day of receipt, not counted).
    started_on      date NOT NULL,
    -- Which clock runs, fixed when the matter is opened (kirjo_domain::matter::ClockRule).
    clock           text NOT NULL CHECK (clock IN ('child_welfare', 'adult_priority', 'none')),
    highest_care_allowance boolean NOT NULL DEFAULT false,
    -- The deadlines under the clock, computed with the holiday calendar
    -- when the matter is opened: the decision on starting the assessment
    -- (7th weekday) and its completion (3 months); NULL where none runs.
    start_due       date CHECK (start_due IS NULL OR start_due > started_on),
    completion_due  date CHECK (completion_due IS NULL OR completion_due > started_on),
    -- Set when the closing phase is recorded, for the lists of open matters.
    closed_on       date CHECK (closed_on IS NULL OR closed_on >= started_on),
    created_by      bigint NOT NULL REFERENCES staff_user (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (started_on <= (created_at AT TIME ZONE 'Europe/Helsinki')::date)
);
CREATE INDEX matter_client ON matter (client_id, sub_register_id);
CREATE INDEX matter_open_by_worker ON matter (responsible_worker_id, started_on) WHERE closed_on IS NULL;
CREATE INDEX matter_open_by_unit ON matter (unit_id, started_on) WHERE closed_on IS NULL;
-- At most one open matter per client and service area: a second
-- notification joins the open one and starts no new deadlines.
-- The figures of a period: matters by their deadline.
CREATE INDEX matter_start_due ON matter (unit_id, start_due) WHERE start_due IS NOT NULL;
CREATE INDEX matter_completion_due ON matter (unit_id, completion_due) WHERE completion_due IS NOT NULL;
CREATE UNIQUE INDEX matter_one_open ON matter (client_id, sub_register_id) WHERE closed_on IS NULL;

-- Each step of the handling, recorded once: never overwritten.
CREATE TABLE matter_phase (
    matter_id       bigint NOT NULL REFERENCES matter (id),
    phase           text NOT NULL CHECK (phase IN ('urgency_assessed', 'assessment_decided', 'informed',
                        'assessment_completed', 'closed')),
    on_date         date NOT NULL,
    outcome         text CHECK (CASE phase
                        WHEN 'urgency_assessed' THEN outcome IN ('urgent', 'not_urgent')
                        WHEN 'assessment_decided' THEN outcome IN ('started', 'not_started')
                        WHEN 'closed' THEN outcome IN ('no_need', 'client_work_continues', 'transferred', 'withdrawn', 'other')
                        ELSE outcome IS NULL END),
    recorded_by     bigint NOT NULL REFERENCES staff_user (id),
    recorded_by_name text NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (matter_id, phase),
    CHECK (on_date <= (recorded_at AT TIME ZONE 'Europe/Helsinki')::date)
);

-- The documents of a matter: a document belongs to one matter at most.
CREATE TABLE matter_document (
    document_id     bigint PRIMARY KEY REFERENCES document (id),
    matter_id       bigint NOT NULL REFERENCES matter (id),
    joined_by       bigint NOT NULL REFERENCES staff_user (id),
    joined_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX matter_document_matter ON matter_document (matter_id);

-- The application records and reads; it never deletes or rewrites a phase.
GRANT SELECT, INSERT ON matter, matter_phase, matter_document TO kirjo_app;
GRANT UPDATE (closed_on) ON matter TO kirjo_app;
