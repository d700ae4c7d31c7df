-- Schema v3: what the bureau sets itself, kept in the database so it travels with the backups.

-- Policy parameters the bureau sets or overrides (zs-iip-2021 clause 8's rate, …), each value with
-- the date it takes effect. A value is never edited: a new one with a later date supersedes it.
CREATE TABLE bureau_parameters (
    id             INTEGER PRIMARY KEY,
    programme      TEXT NOT NULL,
    key            TEXT NOT NULL,              -- "clause.name", as a case file's `parameters` names it
    effective_from TEXT NOT NULL,
    value          TEXT NOT NULL,              -- a decimal, as text: never a float
    reference      TEXT NOT NULL DEFAULT '',   -- the bureau's decision that sets it (文号)
    set_by         TEXT NOT NULL,
    set_at         TEXT NOT NULL,
    UNIQUE (programme, key, effective_from)
);

-- Small settings of this installation (the signed-in officer's name, …).
CREATE TABLE app_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The home page's "my open cases" and the case list's officer and batch filters.
CREATE INDEX cases_officer_status ON cases (officer, status);
CREATE INDEX cases_batch ON cases (batch);
