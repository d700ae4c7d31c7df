-- Schema v6: history keeps 4.1's number of projects (CLAUSES.md, revised 2026-12). Until v6 a
-- platform's two approved projects of a year with one enterprise became one history entry counted as
-- 1, so a third project was computed instead of refused. The approval records how many accepted
-- projects it supports; rows approved before v6 keep NULL (one per listed enterprise, at least one).
ALTER TABLE case_items ADD COLUMN project_count INTEGER CHECK (project_count >= 0);
