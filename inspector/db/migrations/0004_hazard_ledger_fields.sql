-- Schema version 4: what a 隐患排查治理台账 holds for major hazards, and the 检查方式 of an inspection.
-- Text columns (a phone number, an amount with its unit, "县级挂牌督办", "已立案 兴应急罚〔2026〕3号")
-- kept as entered. A local table freezes the monthly analysis of a closed month.
-- The version hash of a synced row covers its column names: local_meta 'sync_rehash:<table>' lists the
-- columns added here so that the sync layer adds each row's new version hash next to the old one
-- (inspector/core/sync/rehash.py) before it next compares versions.

ALTER TABLE finding ADD COLUMN interim_measures VARCHAR NOT NULL DEFAULT '';
ALTER TABLE finding ADD COLUMN governance_plan VARCHAR NOT NULL DEFAULT '';
ALTER TABLE finding ADD COLUMN governance_funds VARCHAR NOT NULL DEFAULT '';
ALTER TABLE finding ADD COLUMN responsible_phone VARCHAR NOT NULL DEFAULT '';
ALTER TABLE finding ADD COLUMN supervision VARCHAR NOT NULL DEFAULT '';
ALTER TABLE finding ADD COLUMN enforcement VARCHAR NOT NULL DEFAULT '';
ALTER TABLE finding ADD COLUMN remarks VARCHAR NOT NULL DEFAULT '';
ALTER TABLE inspection ADD COLUMN method VARCHAR NOT NULL DEFAULT '';

INSERT INTO local_meta (key, value) SELECT 'sync_rehash:finding',
    '["interim_measures", "governance_plan", "governance_funds", "responsible_phone", "supervision", "enforcement", "remarks"]'
    WHERE EXISTS (SELECT 1 FROM finding);
INSERT INTO local_meta (key, value) SELECT 'sync_rehash:inspection', '["method"]' WHERE EXISTS (SELECT 1 FROM inspection);

CREATE TABLE analysis_snapshot (
	month VARCHAR(7) NOT NULL,
	content JSON NOT NULL,
	content_sha256 VARCHAR(64) NOT NULL,
	closed_at VARCHAR NOT NULL,
	closed_by VARCHAR NOT NULL DEFAULT '',
	document_number VARCHAR NOT NULL DEFAULT '',
	PRIMARY KEY (month)
);
