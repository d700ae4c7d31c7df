-- Schema v1: the bureau's register and its cases.
-- Money is whole cents (分) in INTEGER columns; dates are TEXT 'YYYY-MM-DD'; times 'YYYY-MM-DD HH:MM:SS'.

PRAGMA application_id = 1396986699; -- 'SDSK': marks the file as a Subsidy Desk database

CREATE TABLE enterprises (
    id              INTEGER PRIMARY KEY,
    credit_code     TEXT NOT NULL UNIQUE CHECK (length(credit_code) = 18),
    name            TEXT NOT NULL CHECK (trim(name) <> ''),
    town            TEXT NOT NULL,
    address         TEXT NOT NULL DEFAULT '',
    contact_person  TEXT NOT NULL DEFAULT '',
    contact_phone   TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL
);

CREATE TABLE platforms (
    id                            INTEGER PRIMARY KEY,
    enterprise_id                 INTEGER NOT NULL REFERENCES enterprises(id),
    programme                     TEXT NOT NULL CHECK (programme IN ('zs-ptsp-2018', 'zs-iip-2021')),
    name                          TEXT NOT NULL CHECK (trim(name) <> ''),
    category                      INTEGER CHECK (category BETWEEN 0 AND 24),
    level                         TEXT CHECK (level IN ('benchmark', 'municipal')),
    recognized_on                 TEXT NOT NULL,
    paid_in_capital_cents         INTEGER CHECK (paid_in_capital_cents >= 0),
    fiscal_paid_in_capital_cents  INTEGER CHECK (fiscal_paid_in_capital_cents >= 0),
    relocated_hq                  INTEGER NOT NULL DEFAULT 0 CHECK (relocated_hq IN (0, 1)),
    system_live_on                TEXT,
    created_at                    TEXT NOT NULL,
    CHECK ((programme = 'zs-ptsp-2018' AND category IS NOT NULL AND level IS NULL)
        OR (programme = 'zs-iip-2021' AND level IS NOT NULL AND category IS NULL)),
    UNIQUE (enterprise_id, programme, name)
);

CREATE TABLE cases (
    id           INTEGER PRIMARY KEY,
    case_no      TEXT NOT NULL UNIQUE,
    platform_id  INTEGER NOT NULL REFERENCES platforms(id),
    programme    TEXT NOT NULL,
    year         INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    batch        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('draft', 'received', 'verifying', 'reviewing',
                                                 'approving', 'approved', 'rejected', 'returned',
                                                 'withdrawn')),
    officer      TEXT NOT NULL DEFAULT '',
    received_on  TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX cases_platform ON cases (platform_id, year);

CREATE TABLE case_items (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    clause          TEXT NOT NULL,
    declared_units  TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(declared_units)),
    declared_cents  INTEGER CHECK (declared_cents >= 0),
    ceiling_cents   INTEGER CHECK (ceiling_cents >= 0),
    explanation     TEXT CHECK (explanation IS NULL OR json_valid(explanation)),
    approved_cents  INTEGER CHECK (approved_cents >= 0),
    reason          TEXT NOT NULL DEFAULT '',
    CHECK (approved_cents IS NULL OR ceiling_cents IS NULL OR approved_cents <= ceiling_cents),
    UNIQUE (case_id, seq)
);

CREATE TABLE payments (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents > 0),
    paid_on       TEXT NOT NULL,
    voucher_no    TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);
CREATE INDEX payments_case ON payments (case_id);

-- Append-only: every change a person makes, written in the transaction of the change itself.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  INTEGER NOT NULL,
    action     TEXT NOT NULL,
    before     TEXT CHECK (before IS NULL OR json_valid(before)),
    after      TEXT CHECK (after IS NULL OR json_valid(after))
);
CREATE INDEX audit_entity ON audit_log (entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END;
