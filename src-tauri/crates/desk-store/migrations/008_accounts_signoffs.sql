-- Schema v8: people and their decisions (issue #15, docs/workflow.md). Until v8 the actor was a typed
-- name and the approval form found its signatures by matching audit texts.

-- Who may act: a sign-in name, the name printed on forms, roles, an Argon2id hash (PHC string).
-- Never deleted (they appear in the record): disabled instead.
CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY,
    login          TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(login) BETWEEN 2 AND 32),
    name           TEXT NOT NULL CHECK (trim(name) <> ''),
    roles          TEXT NOT NULL CHECK (json_valid(roles) AND json_type(roles) = 'array'),
    password_hash  TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    disabled_at    TEXT,
    created_at     TEXT NOT NULL
);
CREATE TRIGGER accounts_no_delete BEFORE DELETE ON accounts
BEGIN SELECT RAISE(ABORT, '账号不能删除，只能停用'); END;

-- An account's declared interest in an enterprise: it may not decide that enterprise's cases.
CREATE TABLE account_conflicts (
    account_id     INTEGER NOT NULL REFERENCES accounts(id),
    enterprise_id  INTEGER NOT NULL REFERENCES enterprises(id),
    note           TEXT NOT NULL DEFAULT '',
    declared_at    TEXT NOT NULL,
    PRIMARY KEY (account_id, enterprise_id)
);

-- Signed-in sessions: the token itself is never stored, only its SHA-256.
CREATE TABLE sessions (
    token_sha256  TEXT PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    started_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    ended_at      TEXT
);

-- The account that made each change (NULL for entries written before v8, under a typed name).
ALTER TABLE audit_log ADD COLUMN account_id INTEGER REFERENCES accounts(id);

-- The workflow's typed record: every move of a case, who made it, when, and the opinion as typed.
-- The approval form prints its signature blocks from these rows, never from audit texts.
CREATE TABLE case_signoffs (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    step         TEXT NOT NULL CHECK (step IN ('receive', 'start', 'verify', 'review', 'approve',
                                               'send_back', 'return', 'resume', 'reject',
                                               'withdraw', 'reopen', 'town')),
    from_status  TEXT NOT NULL,
    to_status    TEXT NOT NULL,
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    signer       TEXT NOT NULL CHECK (trim(signer) <> ''),  -- the name printed (the town's signer for 'town')
    signed_on    TEXT NOT NULL,                            -- YYYY-MM-DD, the date printed
    at           TEXT NOT NULL,                            -- when it was recorded
    opinion      TEXT NOT NULL CHECK (trim(opinion) <> ''),
    details      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)) -- 退回补正: fix list, deadline
);
CREATE INDEX case_signoffs_case ON case_signoffs (case_id, id);
CREATE TRIGGER case_signoffs_no_update BEFORE UPDATE ON case_signoffs
BEGIN SELECT RAISE(ABORT, '签署记录只能追加，不能修改'); END;
CREATE TRIGGER case_signoffs_no_delete BEFORE DELETE ON case_signoffs
BEGIN SELECT RAISE(ABORT, '签署记录只能追加，不能删除'); END;

-- 局党组审议 of a batch: the meeting that decided it.
CREATE TABLE batch_meetings (
    id          INTEGER PRIMARY KEY,
    programme   TEXT NOT NULL,
    batch       TEXT NOT NULL,
    meeting_on  TEXT NOT NULL,
    minute_no   TEXT NOT NULL CHECK (trim(minute_no) <> ''),
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    at          TEXT NOT NULL,
    UNIQUE (programme, batch)
);

-- Why a case may not move on (an approved amount above a ceiling computed again), in words; '' when free.
ALTER TABLE cases ADD COLUMN blocked TEXT NOT NULL DEFAULT '';
