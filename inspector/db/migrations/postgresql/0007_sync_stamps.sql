-- PostgreSQL form of 0007_sync_stamps.sql: the same two tables and the same indexes, no triggers and no
-- seed. The office server does not keep stamps on write (triggers are not portable SQL); it will compute
-- the versions it needs another way (see docs/office-postgresql.md).

CREATE TABLE sync_stamp (
	table_name VARCHAR NOT NULL, 
	row_id VARCHAR(36) NOT NULL, 
	version VARCHAR(64) NOT NULL, 
	PRIMARY KEY (table_name, row_id)
);

CREATE TABLE local_change (
	table_name VARCHAR NOT NULL, 
	row_id VARCHAR(36) NOT NULL, 
	PRIMARY KEY (table_name, row_id)
);

CREATE INDEX ix_finding_live_result ON finding (inspection_id, result, level) WHERE deleted_at IS NULL;

CREATE INDEX ix_photo_live_finding ON photo (finding_id) WHERE deleted_at IS NULL;

CREATE INDEX ix_photo_jpeg_sha256 ON photo (jpeg_sha256);
