-- PostgreSQL form of 0005_notice_record_date.py: the same three columns. Existing notices get the
-- China-time date of issued_at (stored as fixed-width UTC text; China has no daylight saving). The
-- SQLite step prefers the date printed in the PDF's payload; an office server reaching this step with
-- notices on it predates any release, so the simpler rule is used here.
ALTER TABLE notice ADD COLUMN issued_on DATE;
ALTER TABLE notice ADD COLUMN backdate_reason VARCHAR NOT NULL DEFAULT '';
ALTER TABLE notice ADD COLUMN printed_deadlines JSON NOT NULL DEFAULT '{}';
UPDATE notice SET issued_on = CAST(CAST(substr(issued_at, 1, 19) AS TIMESTAMP) + INTERVAL '8 hours' AS DATE);
INSERT INTO local_meta (key, value)
    SELECT 'sync_rehash:notice', '["issued_on", "backdate_reason", "printed_deadlines"]'
    WHERE EXISTS (SELECT 1 FROM notice) AND NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_rehash:notice');
