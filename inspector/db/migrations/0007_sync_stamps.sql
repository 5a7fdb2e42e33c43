-- Schema version 7: version stamps kept on write, local changes listed as they happen, and the covering
-- indexes the inspection list needs at scale, and photo(jpeg_sha256): the column lies after the JPEG in the
-- row, so reading it without the index walks every photo's overflow pages (the manifest of an export and
-- the merge's duplicate check read it for every photo).
--
-- sync_stamp holds, per synced row, its current version (the SHA-256 of inspector.core.sync.rows, which
-- SQLite cannot compute): the triggers below delete a row's stamp whenever the row is written and list
-- the row in local_change (rows written on this device since an export or a merge last saw their
-- version: the "not yet exported" count is a GROUP BY over it). The sync core hashes the listed rows
-- that have no stamp (inspector.core.sync.stamps), so an export or a merge hashes what changed, not every
-- row. (A NULL-able stamp with a partial index of the stale ones made every insert 6x slower; a delete
-- that finds nothing and one insert cost ~1.7x a plain insert.)
-- A merge writes the flag row local_meta 'sync_applying' inside its own transaction while it applies
-- incoming rows (it stores their verified versions itself); the triggers skip those writes.
-- Existing rows start listed without stamps; the key 'sync_stamps:seed' asks the core to hash them once
-- and to keep listed only those no export or merge has seen (inspector.core.sync.rehash). Local to a database: never synced.
-- The PostgreSQL form (migrations/postgresql/0007_sync_stamps.sql) has the tables and indexes only.

CREATE TABLE sync_stamp (
	table_name VARCHAR NOT NULL, 
	row_id VARCHAR(36) NOT NULL, 
	version VARCHAR(64) NOT NULL, 
	PRIMARY KEY (table_name, row_id)
) WITHOUT ROWID;

CREATE TABLE local_change (
	table_name VARCHAR NOT NULL, 
	row_id VARCHAR(36) NOT NULL, 
	PRIMARY KEY (table_name, row_id)
) WITHOUT ROWID;

CREATE INDEX ix_finding_live_result ON finding (inspection_id, result, level) WHERE deleted_at IS NULL;

CREATE INDEX ix_photo_live_finding ON photo (finding_id) WHERE deleted_at IS NULL;

CREATE INDEX ix_photo_jpeg_sha256 ON photo (jpeg_sha256);

INSERT INTO local_change (table_name, row_id) SELECT 'enterprise', id FROM enterprise;
INSERT INTO local_change (table_name, row_id) SELECT 'inspector', id FROM inspector;
INSERT INTO local_change (table_name, row_id) SELECT 'checklist_snapshot', id FROM checklist_snapshot;
INSERT INTO local_change (table_name, row_id) SELECT 'inspection', id FROM inspection;
INSERT INTO local_change (table_name, row_id) SELECT 'finding', id FROM finding;
INSERT INTO local_change (table_name, row_id) SELECT 'reinspection', id FROM reinspection;
INSERT INTO local_change (table_name, row_id) SELECT 'photo', id FROM photo;
INSERT INTO local_change (table_name, row_id) SELECT 'reinspection_item', id FROM reinspection_item;
INSERT INTO local_change (table_name, row_id) SELECT 'hazard_event', id FROM hazard_event;
INSERT INTO local_change (table_name, row_id) SELECT 'notice', id FROM notice;
INSERT INTO local_change (table_name, row_id) SELECT 'document_number', id FROM document_number;
INSERT INTO local_change (table_name, row_id) SELECT 'number_block', id FROM number_block;

INSERT INTO local_meta (key, value) SELECT 'sync_stamps:seed', '1' WHERE EXISTS (SELECT 1 FROM local_change);

CREATE TRIGGER sync_stamp_enterprise_insert AFTER INSERT ON enterprise
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'enterprise' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('enterprise', NEW.id);
END;

CREATE TRIGGER sync_stamp_enterprise_update AFTER UPDATE ON enterprise
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'enterprise' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('enterprise', NEW.id);
END;

CREATE TRIGGER sync_stamp_enterprise_delete AFTER DELETE ON enterprise
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'enterprise' AND row_id = OLD.id;
	DELETE FROM local_change WHERE table_name = 'enterprise' AND row_id = OLD.id;
END;

CREATE TRIGGER sync_stamp_inspector_insert AFTER INSERT ON inspector
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'inspector' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('inspector', NEW.id);
END;

CREATE TRIGGER sync_stamp_inspector_update AFTER UPDATE ON inspector
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'inspector' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('inspector', NEW.id);
END;

CREATE TRIGGER sync_stamp_inspector_delete AFTER DELETE ON inspector
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'inspector' AND row_id = OLD.id;
	DELETE FROM local_change WHERE table_name = 'inspector' AND row_id = OLD.id;
END;

CREATE TRIGGER sync_stamp_checklist_snapshot_insert AFTER INSERT ON checklist_snapshot
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'checklist_snapshot' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('checklist_snapshot', NEW.id);
END;

CREATE TRIGGER sync_stamp_checklist_snapshot_update AFTER UPDATE ON checklist_snapshot
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'checklist_snapshot' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('checklist_snapshot', NEW.id);
END;

CREATE TRIGGER sync_stamp_checklist_snapshot_delete AFTER DELETE ON checklist_snapshot
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'checklist_snapshot' AND row_id = OLD.id;
	DELETE FROM local_change WHERE table_name = 'checklist_snapshot' AND row_id = OLD.id;
END;

CREATE TRIGGER sync_stamp_inspection_insert AFTER INSERT ON inspection
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'inspection' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('inspection', NEW.id);
END;

CREATE TRIGGER sync_stamp_inspection_update AFTER UPDATE ON inspection
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'inspection' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('inspection', NEW.id);
END;

CREATE TRIGGER sync_stamp_inspection_delete AFTER DELETE ON inspection
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'inspection' AND row_id = OLD.id;
	DELETE FROM local_change WHERE table_name = 'inspection' AND row_id = OLD.id;
END;

CREATE TRIGGER sync_stamp_finding_insert AFTER INSERT ON finding
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'finding' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('finding', NEW.id);
END;

CREATE TRIGGER sync_stamp_finding_update AFTER UPDATE ON finding
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'finding' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('finding', NEW.id);
END;

CREATE TRIGGER sync_stamp_finding_delete AFTER DELETE ON finding
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'finding' AND row_id = OLD.id;
	DELETE FROM local_change WHERE table_name = 'finding' AND row_id = OLD.id;
END;

CREATE TRIGGER sync_stamp_reinspection_insert AFTER INSERT ON reinspection
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'reinspection' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('reinspection', NEW.id);
END;

CREATE TRIGGER sync_stamp_reinspection_update AFTER UPDATE ON reinspection
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'reinspection' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('reinspection', NEW.id);
END;

CREATE TRIGGER sync_stamp_reinspection_delete AFTER DELETE ON reinspection
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'reinspection' AND row_id = OLD.id;
	DELETE FROM local_change WHERE table_name = 'reinspection' AND row_id = OLD.id;
END;

CREATE TRIGGER sync_stamp_photo_insert AFTER INSERT ON photo
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'photo' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('photo', NEW.id);
END;

CREATE TRIGGER sync_stamp_photo_update AFTER UPDATE ON photo
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'photo' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('photo', NEW.id);
END;

CREATE TRIGGER sync_stamp_photo_delete AFTER DELETE ON photo
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'photo' AND row_id = OLD.id;
	DELETE FROM local_change WHERE table_name = 'photo' AND row_id = OLD.id;
END;

CREATE TRIGGER sync_stamp_reinspection_item_insert AFTER INSERT ON reinspection_item
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'reinspection_item' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('reinspection_item', NEW.id);
END;

CREATE TRIGGER sync_stamp_reinspection_item_update AFTER UPDATE ON reinspection_item
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'reinspection_item' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('reinspection_item', NEW.id);
END;

CREATE TRIGGER sync_stamp_reinspection_item_delete AFTER DELETE ON reinspection_item
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'reinspection_item' AND row_id = OLD.id;
	DELETE FROM local_change WHERE table_name = 'reinspection_item' AND row_id = OLD.id;
END;

CREATE TRIGGER sync_stamp_hazard_event_insert AFTER INSERT ON hazard_event
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'hazard_event' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('hazard_event', NEW.id);
END;

CREATE TRIGGER sync_stamp_hazard_event_update AFTER UPDATE ON hazard_event
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'hazard_event' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('hazard_event', NEW.id);
END;

CREATE TRIGGER sync_stamp_hazard_event_delete AFTER DELETE ON hazard_event
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'hazard_event' AND row_id = OLD.id;
	DELETE FROM local_change WHERE table_name = 'hazard_event' AND row_id = OLD.id;
END;

CREATE TRIGGER sync_stamp_notice_insert AFTER INSERT ON notice
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'notice' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('notice', NEW.id);
END;

CREATE TRIGGER sync_stamp_notice_update AFTER UPDATE ON notice
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'notice' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('notice', NEW.id);
END;

CREATE TRIGGER sync_stamp_notice_delete AFTER DELETE ON notice
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'notice' AND row_id = OLD.id;
	DELETE FROM local_change WHERE table_name = 'notice' AND row_id = OLD.id;
END;

CREATE TRIGGER sync_stamp_document_number_insert AFTER INSERT ON document_number
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'document_number' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('document_number', NEW.id);
END;

CREATE TRIGGER sync_stamp_document_number_update AFTER UPDATE ON document_number
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'document_number' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('document_number', NEW.id);
END;

CREATE TRIGGER sync_stamp_document_number_delete AFTER DELETE ON document_number
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'document_number' AND row_id = OLD.id;
	DELETE FROM local_change WHERE table_name = 'document_number' AND row_id = OLD.id;
END;

CREATE TRIGGER sync_stamp_number_block_insert AFTER INSERT ON number_block
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'number_block' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('number_block', NEW.id);
END;

CREATE TRIGGER sync_stamp_number_block_update AFTER UPDATE ON number_block
WHEN NOT EXISTS (SELECT 1 FROM local_meta WHERE key = 'sync_applying')
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'number_block' AND row_id = NEW.id;
	INSERT OR IGNORE INTO local_change (table_name, row_id) VALUES ('number_block', NEW.id);
END;

CREATE TRIGGER sync_stamp_number_block_delete AFTER DELETE ON number_block
BEGIN
	DELETE FROM sync_stamp WHERE table_name = 'number_block' AND row_id = OLD.id;
	DELETE FROM local_change WHERE table_name = 'number_block' AND row_id = OLD.id;
END;
