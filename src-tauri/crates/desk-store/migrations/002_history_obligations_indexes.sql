-- Schema v2: what the calculator's history needs, the 5-year obligation, and the indexes that keep
-- the case list and the ledger fast at 100,000 cases.

-- zs-iip-2021 4.4: the enterprises an approved item supported; 4.5: the active count it rewarded.
ALTER TABLE case_items ADD COLUMN covered_enterprises TEXT
    CHECK (covered_enterprises IS NULL OR json_valid(covered_enterprises));
ALTER TABLE case_items ADD COLUMN active_count INTEGER CHECK (active_count >= 0);

-- v1 kept the supported enterprises only inside the declared units: carry them over.
UPDATE case_items
SET covered_enterprises = (
    SELECT json_group_array(DISTINCT json_extract(c.value, '$.enterprise_credit_code'))
    FROM json_each(case_items.declared_units, '$.contracts') AS c
)
WHERE clause = '4.4' AND approved_cents IS NOT NULL
  AND json_type(declared_units, '$.contracts') = 'array';

-- 《实施意见》八（一）: a supported platform must operate in Zhongshan for 5 years from its first payment.
CREATE TABLE obligations (
    platform_id    INTEGER PRIMARY KEY REFERENCES platforms(id),
    first_paid_on  TEXT NOT NULL,
    ends_on        TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT ''
);
INSERT INTO obligations (platform_id, first_paid_on, ends_on)
SELECT c.platform_id, MIN(p.paid_on), date(MIN(p.paid_on), '+5 years')
FROM payments p JOIN cases c ON c.id = p.case_id
WHERE c.programme = 'zs-ptsp-2018'
GROUP BY c.platform_id;

-- Where a resubmitted workbook came from (SHA-256 of the file), so the same file is not imported twice.
ALTER TABLE cases ADD COLUMN source_sha256 TEXT;

CREATE INDEX cases_year_programme_status ON cases (year, programme, status, received_on);
CREATE INDEX cases_received ON cases (received_on, id);
CREATE INDEX cases_source ON cases (source_sha256) WHERE source_sha256 IS NOT NULL;
CREATE INDEX case_items_case ON case_items (case_id, clause, ceiling_cents, approved_cents);
CREATE INDEX platforms_enterprise ON platforms (enterprise_id);
CREATE INDEX enterprises_town ON enterprises (town);

-- Per-case totals, kept by the database itself: the case list and the ledger read 100,000 cases
-- without summing a million items (targets in benches/store_scale.rs). `check` verifies them.
ALTER TABLE cases ADD COLUMN item_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN total_declared_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN total_ceiling_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN total_approved_cents INTEGER NOT NULL DEFAULT 0;
UPDATE cases SET (item_count, total_declared_cents, total_ceiling_cents, total_approved_cents) = (
    SELECT count(*), coalesce(sum(declared_cents), 0), coalesce(sum(ceiling_cents), 0),
           coalesce(sum(approved_cents), 0)
    FROM case_items WHERE case_id = cases.id
);
CREATE TRIGGER case_items_totals_insert AFTER INSERT ON case_items
BEGIN
    UPDATE cases SET item_count = item_count + 1,
        total_declared_cents = total_declared_cents + coalesce(NEW.declared_cents, 0),
        total_ceiling_cents = total_ceiling_cents + coalesce(NEW.ceiling_cents, 0),
        total_approved_cents = total_approved_cents + coalesce(NEW.approved_cents, 0)
    WHERE id = NEW.case_id;
END;
CREATE TRIGGER case_items_totals_delete AFTER DELETE ON case_items
BEGIN
    UPDATE cases SET item_count = item_count - 1,
        total_declared_cents = total_declared_cents - coalesce(OLD.declared_cents, 0),
        total_ceiling_cents = total_ceiling_cents - coalesce(OLD.ceiling_cents, 0),
        total_approved_cents = total_approved_cents - coalesce(OLD.approved_cents, 0)
    WHERE id = OLD.case_id;
END;
CREATE TRIGGER case_items_totals_update
AFTER UPDATE OF case_id, declared_cents, ceiling_cents, approved_cents ON case_items
BEGIN
    UPDATE cases SET item_count = item_count - 1,
        total_declared_cents = total_declared_cents - coalesce(OLD.declared_cents, 0),
        total_ceiling_cents = total_ceiling_cents - coalesce(OLD.ceiling_cents, 0),
        total_approved_cents = total_approved_cents - coalesce(OLD.approved_cents, 0)
    WHERE id = OLD.case_id;
    UPDATE cases SET item_count = item_count + 1,
        total_declared_cents = total_declared_cents + coalesce(NEW.declared_cents, 0),
        total_ceiling_cents = total_ceiling_cents + coalesce(NEW.ceiling_cents, 0),
        total_approved_cents = total_approved_cents + coalesce(NEW.approved_cents, 0)
    WHERE id = NEW.case_id;
END;
-- Covering index of the ledger: one year's cases grouped by platform without touching the table.
CREATE INDEX cases_year_platform ON cases (year, platform_id, status, programme, item_count,
                                           total_ceiling_cents, total_approved_cents);
