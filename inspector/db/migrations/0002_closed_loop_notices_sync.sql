-- Schema version 2: hazard life cycle, re-inspections, notices and numbering, sync bookkeeping.

ALTER TABLE finding ADD COLUMN status VARCHAR NOT NULL DEFAULT 'pending';

ALTER TABLE finding ADD COLUMN responsible_person VARCHAR NOT NULL DEFAULT '';

ALTER TABLE finding ADD COLUMN closed_at VARCHAR(27);

CREATE INDEX ix_finding_status ON finding (status);

ALTER TABLE photo ADD COLUMN kind VARCHAR NOT NULL DEFAULT 'before';

ALTER TABLE photo ADD COLUMN reinspection_id VARCHAR(36);

CREATE TABLE document_number (
	id VARCHAR(36) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	device_id VARCHAR(36) NOT NULL, 
	rev INTEGER NOT NULL, 
	deleted_at VARCHAR(27), 
	kind VARCHAR NOT NULL, 
	prefix VARCHAR NOT NULL, 
	year INTEGER NOT NULL, 
	seq INTEGER NOT NULL, 
	notice_id VARCHAR(36), 
	voided_at VARCHAR(27), 
	void_reason VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_document_number_kind ON document_number (kind);

CREATE INDEX ix_document_number_updated_at ON document_number (updated_at);

CREATE TABLE number_block (
	id VARCHAR(36) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	device_id VARCHAR(36) NOT NULL, 
	rev INTEGER NOT NULL, 
	deleted_at VARCHAR(27), 
	kind VARCHAR NOT NULL, 
	prefix VARCHAR NOT NULL, 
	year INTEGER NOT NULL, 
	first INTEGER NOT NULL, 
	last INTEGER NOT NULL, 
	assigned_device_id VARCHAR(36) NOT NULL, 
	note VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_number_block_assigned_device_id ON number_block (assigned_device_id);

CREATE INDEX ix_number_block_updated_at ON number_block (updated_at);

CREATE TABLE sync_conflict (
	id VARCHAR(36) NOT NULL, 
	table_name VARCHAR NOT NULL, 
	row_id VARCHAR(36) NOT NULL, 
	kept JSON NOT NULL, 
	other JSON NOT NULL, 
	detected_at VARCHAR(27) NOT NULL, 
	source VARCHAR NOT NULL, 
	resolved_at VARCHAR(27), 
	PRIMARY KEY (id)
);

CREATE INDEX ix_sync_conflict_row_id ON sync_conflict (row_id);

CREATE TABLE sync_log (
	id VARCHAR(36) NOT NULL, 
	kind VARCHAR NOT NULL, 
	at VARCHAR(27) NOT NULL, 
	peer_device_id VARCHAR NOT NULL, 
	path VARCHAR NOT NULL, 
	watermark VARCHAR(27), 
	details JSON NOT NULL, 
	PRIMARY KEY (id)
);

CREATE TABLE notice (
	id VARCHAR(36) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	device_id VARCHAR(36) NOT NULL, 
	rev INTEGER NOT NULL, 
	deleted_at VARCHAR(27), 
	kind VARCHAR NOT NULL, 
	enterprise_id VARCHAR(36) NOT NULL, 
	inspection_id VARCHAR(36), 
	reinspection_id VARCHAR(36), 
	finding_ids JSON NOT NULL, 
	number_id VARCHAR(36), 
	number_text VARCHAR NOT NULL, 
	issued_at VARCHAR(27) NOT NULL, 
	status VARCHAR NOT NULL, 
	template_family VARCHAR NOT NULL, 
	pdf BLOB NOT NULL, 
	pdf_sha256 VARCHAR(64) NOT NULL, 
	content_sha256 VARCHAR(64) NOT NULL, 
	supersedes_id VARCHAR(36), 
	correction_reason VARCHAR NOT NULL, 
	void_reason VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(enterprise_id) REFERENCES enterprise (id)
);

CREATE INDEX ix_notice_enterprise_id ON notice (enterprise_id);

CREATE INDEX ix_notice_inspection_id ON notice (inspection_id);

CREATE INDEX ix_notice_kind ON notice (kind);

CREATE INDEX ix_notice_pdf_sha256 ON notice (pdf_sha256);

CREATE INDEX ix_notice_updated_at ON notice (updated_at);

CREATE TABLE reinspection (
	id VARCHAR(36) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	device_id VARCHAR(36) NOT NULL, 
	rev INTEGER NOT NULL, 
	deleted_at VARCHAR(27), 
	enterprise_id VARCHAR(36) NOT NULL, 
	started_at VARCHAR(27) NOT NULL, 
	ended_at VARCHAR(27), 
	inspector_ids JSON NOT NULL, 
	status VARCHAR NOT NULL, 
	notes VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(enterprise_id) REFERENCES enterprise (id)
);

CREATE INDEX ix_reinspection_enterprise_id ON reinspection (enterprise_id);

CREATE INDEX ix_reinspection_started_at ON reinspection (started_at);

CREATE INDEX ix_reinspection_updated_at ON reinspection (updated_at);

CREATE TABLE hazard_event (
	id VARCHAR(36) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	device_id VARCHAR(36) NOT NULL, 
	rev INTEGER NOT NULL, 
	deleted_at VARCHAR(27), 
	finding_id VARCHAR(36) NOT NULL, 
	at VARCHAR(27) NOT NULL, 
	inspector_id VARCHAR(36), 
	from_status VARCHAR NOT NULL, 
	to_status VARCHAR NOT NULL, 
	deadline DATE, 
	reinspection_id VARCHAR(36), 
	notice_id VARCHAR(36), 
	note VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(finding_id) REFERENCES finding (id)
);

CREATE INDEX ix_hazard_event_finding_id ON hazard_event (finding_id);

CREATE INDEX ix_hazard_event_updated_at ON hazard_event (updated_at);

CREATE TABLE reinspection_item (
	id VARCHAR(36) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	device_id VARCHAR(36) NOT NULL, 
	rev INTEGER NOT NULL, 
	deleted_at VARCHAR(27), 
	reinspection_id VARCHAR(36) NOT NULL, 
	finding_id VARCHAR(36) NOT NULL, 
	outcome VARCHAR NOT NULL, 
	new_deadline DATE, 
	note VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(reinspection_id) REFERENCES reinspection (id), 
	FOREIGN KEY(finding_id) REFERENCES finding (id)
);

CREATE INDEX ix_reinspection_item_finding_id ON reinspection_item (finding_id);

CREATE INDEX ix_reinspection_item_reinspection_id ON reinspection_item (reinspection_id);

CREATE INDEX ix_reinspection_item_updated_at ON reinspection_item (updated_at);
