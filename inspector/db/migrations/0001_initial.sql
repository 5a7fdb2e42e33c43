-- Schema version 1: the first released schema. Never edit: add a new numbered migration.

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
	"key" VARCHAR NOT NULL, 
	value VARCHAR NOT NULL, 
	PRIMARY KEY ("key")
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
	PRIMARY KEY (id), 
	FOREIGN KEY(inspection_id) REFERENCES inspection (id)
);

CREATE INDEX ix_finding_inspection_id ON finding (inspection_id);

CREATE INDEX ix_finding_updated_at ON finding (updated_at);

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
	jpeg BLOB NOT NULL, 
	thumbnail BLOB NOT NULL, 
	original_sha256 VARCHAR(64) NOT NULL, 
	jpeg_sha256 VARCHAR(64) NOT NULL, 
	original_size INTEGER NOT NULL, 
	width INTEGER NOT NULL, 
	height INTEGER NOT NULL, 
	captured_at VARCHAR(27), 
	original_name VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(finding_id) REFERENCES finding (id)
);

CREATE INDEX ix_photo_finding_id ON photo (finding_id);

CREATE INDEX ix_photo_original_sha256 ON photo (original_sha256);

CREATE INDEX ix_photo_updated_at ON photo (updated_at);
