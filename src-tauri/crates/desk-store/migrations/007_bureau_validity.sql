-- Schema v7: a programme's in-force dates as the bureau sets them (zs-iip-2021 is a 征求意见稿 whose
-- dates are blank; issue #14). Each setting states both dates; the latest one is in force, earlier
-- ones stay as its history. Without a row the catalog's dates apply.
CREATE TABLE bureau_validity (
    id         INTEGER PRIMARY KEY,
    programme  TEXT NOT NULL,
    valid_from TEXT NOT NULL,                  -- YYYY-MM-DD, first day in force
    valid_to   TEXT NOT NULL,                  -- YYYY-MM-DD, last day in force
    reference  TEXT NOT NULL,                  -- the bureau's decision that sets them (文号)
    set_by     TEXT NOT NULL,
    set_at     TEXT NOT NULL,
    CHECK (valid_from <= valid_to)
);
