-- Schema version 8: the undo journal of merges, written in each merge's own transaction.
--
-- For every row a merge writes (synced rows, their stamps, local changes, conflicts, the sync log, the
-- operation counter), merge_undo holds the row's content before the merge (content: a JSON object of its
-- columns; blob_1/blob_2: its BLOB columns in table order, the JPEG and thumbnail of a photo, the PDF of a
-- notice) or, with content NULL, that the merge added it. Versions the merge added to sync_version are the
-- rows whose seen_seq is the merge's operation number. "Undo this merge" (inspector.core.sync.undo) deletes
-- the rows a merge added and puts the previous content back: the database is as before the merge, photos
-- included. The journal grows with the merge, not with the database (the whole-file backup it replaces
-- copied every page of the local file). Local to a database: never exported (an export empties every
-- table that does not travel), pruned to the newest merges.
--
-- ix_photo_duplicates covers the merge's duplicate-photo rule (inspector.core.sync.dedup): the groups
-- (finding, kind, original hash) with more than one member are found in the index alone; the hash column
-- lies after the JPEG in the row, so without it every photo's overflow pages were read after each merge.

CREATE TABLE merge_undo (
	seq INTEGER NOT NULL, 
	table_name VARCHAR NOT NULL, 
	row_key VARCHAR NOT NULL, 
	content TEXT, 
	blob_1 BLOB, 
	blob_2 BLOB, 
	PRIMARY KEY (seq, table_name, row_key)
);

CREATE INDEX ix_photo_duplicates ON photo (finding_id, kind, original_sha256, created_at, id, deleted_at);
