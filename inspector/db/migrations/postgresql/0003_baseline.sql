-- PostgreSQL baseline: the schema of SQLite version 3 (0001-0003), as the SQLModel metadata compiles for
-- the postgresql dialect. A new office database runs this, then every numbered step after it
-- (inspector/db/migrations/NNNN_*.sql, or its override in this folder). Portable SQL only: no
-- extensions, so KingbaseES and openGauss can follow. Never edit: add a numbered step.

CREATE TABLE checklist_snapshot (
	id VARCHAR(36) NOT NULL, 
	checklist_id VARCHAR NOT NULL, 
	version VARCHAR NOT NULL, 
	title VARCHAR NOT NULL, 
	sector VARCHAR NOT NULL, 
	content_sha256 VARCHAR(64) NOT NULL, 
	content JSON NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_checklist_snapshot_checklist_id ON checklist_snapshot (checklist_id);

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

CREATE TABLE enterprise (
	id VARCHAR(36) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	device_id VARCHAR(36) NOT NULL, 
	rev INTEGER NOT NULL, 
	deleted_at VARCHAR(27), 
	name VARCHAR NOT NULL, 
	credit_code VARCHAR(18), 
	address VARCHAR NOT NULL, 
	industry VARCHAR NOT NULL, 
	legal_representative VARCHAR NOT NULL, 
	contact_phone VARCHAR NOT NULL, 
	liaison VARCHAR NOT NULL, 
	name_initials VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_enterprise_credit_code ON enterprise (credit_code);

CREATE INDEX ix_enterprise_name ON enterprise (name);

CREATE INDEX ix_enterprise_name_initials ON enterprise (name_initials);

CREATE INDEX ix_enterprise_updated_at ON enterprise (updated_at);

CREATE TABLE inspector (
	id VARCHAR(36) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	device_id VARCHAR(36) NOT NULL, 
	rev INTEGER NOT NULL, 
	deleted_at VARCHAR(27), 
	name VARCHAR NOT NULL, 
	certificate_no VARCHAR NOT NULL, 
	active BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);

CREATE INDEX ix_inspector_updated_at ON inspector (updated_at);

CREATE TABLE local_meta (
	key VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY (key)
);

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

CREATE TABLE sync_version (
	table_name VARCHAR NOT NULL, 
	row_id VARCHAR(36) NOT NULL, 
	version VARCHAR(64) NOT NULL, 
	seen_seq INTEGER NOT NULL, 
	PRIMARY KEY (table_name, row_id, version)
);

CREATE TABLE inspection (
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
	place VARCHAR NOT NULL, 
	snapshot_ids JSON NOT NULL, 
	status VARCHAR NOT NULL, 
	notes VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(enterprise_id) REFERENCES enterprise (id)
);

CREATE INDEX ix_inspection_enterprise_id ON inspection (enterprise_id);

CREATE INDEX ix_inspection_started_at ON inspection (started_at);

CREATE INDEX ix_inspection_status ON inspection (status);

CREATE INDEX ix_inspection_updated_at ON inspection (updated_at);

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
	pdf BYTEA NOT NULL, 
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

CREATE TABLE finding (
	id VARCHAR(36) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	device_id VARCHAR(36) NOT NULL, 
	rev INTEGER NOT NULL, 
	deleted_at VARCHAR(27), 
	inspection_id VARCHAR(36) NOT NULL, 
	snapshot_id VARCHAR(36), 
	item_id VARCHAR, 
	item_text VARCHAR NOT NULL, 
	seq INTEGER NOT NULL, 
	result VARCHAR NOT NULL, 
	description VARCHAR NOT NULL, 
	location VARCHAR NOT NULL, 
	level VARCHAR NOT NULL, 
	major_clause VARCHAR NOT NULL, 
	requirement VARCHAR NOT NULL, 
	deadline DATE, 
	basis VARCHAR NOT NULL, 
	status VARCHAR NOT NULL, 
	responsible_person VARCHAR NOT NULL, 
	closed_at VARCHAR(27), 
	PRIMARY KEY (id), 
	FOREIGN KEY(inspection_id) REFERENCES inspection (id)
);

CREATE INDEX ix_finding_inspection_id ON finding (inspection_id);

CREATE INDEX ix_finding_status ON finding (status);

CREATE INDEX ix_finding_updated_at ON finding (updated_at);

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

CREATE TABLE photo (
	id VARCHAR(36) NOT NULL, 
	created_at VARCHAR(27) NOT NULL, 
	updated_at VARCHAR(27) NOT NULL, 
	device_id VARCHAR(36) NOT NULL, 
	rev INTEGER NOT NULL, 
	deleted_at VARCHAR(27), 
	finding_id VARCHAR(36) NOT NULL, 
	seq INTEGER NOT NULL, 
	caption VARCHAR NOT NULL, 
	jpeg BYTEA NOT NULL, 
	thumbnail BYTEA NOT NULL, 
	original_sha256 VARCHAR(64) NOT NULL, 
	jpeg_sha256 VARCHAR(64) NOT NULL, 
	original_size INTEGER NOT NULL, 
	width INTEGER NOT NULL, 
	height INTEGER NOT NULL, 
	captured_at VARCHAR(27), 
	original_name VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	reinspection_id VARCHAR(36), 
	PRIMARY KEY (id), 
	FOREIGN KEY(finding_id) REFERENCES finding (id)
);

CREATE INDEX ix_photo_finding_id ON photo (finding_id);

CREATE INDEX ix_photo_original_sha256 ON photo (original_sha256);

CREATE INDEX ix_photo_updated_at ON photo (updated_at);

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
