-- Schema version 3: the history of row versions that file sync uses to tell a fast-forward from a
-- conflict ("edited on both sides since they last met") and to export only what changed.
-- One row per version (SHA-256 of a synced row's content) that this database has seen of a row;
-- seen_seq is the local sync operation (export or merge) that first saw it. Exports carry the
-- history of the rows they contain.

CREATE TABLE sync_version (
	table_name VARCHAR NOT NULL, 
	row_id VARCHAR(36) NOT NULL, 
	version VARCHAR(64) NOT NULL, 
	seen_seq INTEGER NOT NULL, 
	PRIMARY KEY (table_name, row_id, version)
) WITHOUT ROWID;
