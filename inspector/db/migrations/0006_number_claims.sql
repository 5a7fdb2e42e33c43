-- Schema version 5: number blocks that cannot overlap, enforced by the database itself.
-- One row per number of a live block; the primary key (kind, prefix, year, seq) makes two blocks of a
-- series holding the same number impossible, on SQLite and on the office's PostgreSQL alike (plain
-- unique key, no btree_gist EXCLUDE: KingbaseES and openGauss can follow). Local to a database: never
-- synced. Existing live blocks are claimed here; where merged blocks already overlap, the first block
-- (by id) keeps the shared numbers and `inspector numbers report` still lists the overlap.
-- Portable SQL: this file also runs on PostgreSQL (inspector/db/server.py).

CREATE TABLE number_claim (
	kind VARCHAR NOT NULL,
	prefix VARCHAR NOT NULL,
	year INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	block_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (kind, prefix, year, seq)
);

CREATE INDEX ix_number_claim_block_id ON number_claim (block_id);

INSERT INTO number_claim (kind, prefix, year, seq, block_id)
WITH RECURSIVE n (block_id, seq, last_seq) AS (
	SELECT id, first, last FROM number_block WHERE deleted_at IS NULL
	UNION ALL
	SELECT block_id, seq + 1, last_seq FROM n WHERE seq < last_seq
)
SELECT b.kind, b.prefix, b.year, n.seq, min(n.block_id)
FROM n JOIN number_block b ON b.id = n.block_id
GROUP BY b.kind, b.prefix, b.year, n.seq;
