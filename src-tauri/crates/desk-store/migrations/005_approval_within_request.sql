-- Schema v5: an approved amount stays within the request (CLAUSES.md, revised 2026-12):
-- 核定金额 ≤ min(最高可补助额, 申请金额). v1's CHECK keeps it within the ceiling; SQLite cannot add a
-- CHECK to a table, so these triggers hold the request's half. An amount above 0 needs the request
-- (an item imported before the rule is asked for it first); 0.00 (不予支持) needs nothing.
-- Rows written before v5 are records and stay as they were.
CREATE TRIGGER case_items_approved_within_request_insert
BEFORE INSERT ON case_items
WHEN NEW.approved_cents > 0
 AND (NEW.declared_cents IS NULL OR NEW.approved_cents > NEW.declared_cents)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: approved_cents <= declared_cents');
END;

CREATE TRIGGER case_items_approved_within_request_update
BEFORE UPDATE OF approved_cents, declared_cents ON case_items
WHEN NEW.approved_cents > 0
 AND (NEW.declared_cents IS NULL OR NEW.approved_cents > NEW.declared_cents)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: approved_cents <= declared_cents');
END;
