-- PostgreSQL form of 0008_merge_undo.sql: the same table, BYTEA for the blobs. The office server's merge
-- keeps its own pre-merge safety (server_backups); nothing on the server writes this table yet.

CREATE TABLE merge_undo (
	seq INTEGER NOT NULL, 
	table_name VARCHAR NOT NULL, 
	row_key VARCHAR NOT NULL, 
	content TEXT, 
	blob_1 BYTEA, 
	blob_2 BYTEA, 
	PRIMARY KEY (seq, table_name, row_key)
);

CREATE INDEX ix_photo_duplicates ON photo (finding_id, kind, original_sha256, created_at, id, deleted_at);
