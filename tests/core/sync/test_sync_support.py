"""Tiny synthetic devices for the sync tests: the real schema, a handful of rows, explicit clocks.

Import with ``from tests.core.sync.test_sync_support import Device``. Each device is one database file
made from a migrated empty template; rows are written with plain SQL the way the app writes
them (UUID ids, fixed-width UTC text, ``rev`` bumped and ``updated_at`` set on every change,
tombstones). Timestamps come from the caller, so tests can make clocks tie or disagree.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import tempfile
import uuid
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from inspector.core.sync.export import ExportOptions, export_database
from inspector.core.sync.merge import merge_files
from inspector.core.sync.rows import SYNC_ORDER, TableSpec
from inspector.core.sync.status import content_fingerprint
from inspector.db.types import to_utc_text

BASE_TIME = datetime(2026, 3, 1, 8, 0, tzinfo=timezone.utc)
NAMESPACE = uuid.UUID("6f1b2c8e-0000-4000-8000-000000000000")
EDITABLE = {"enterprise": "address", "inspection": "notes", "finding": "description", "photo": "caption",
            "notice": "void_reason", "document_number": "void_reason"}
DEFAULTS = {
    "enterprise": {"name": "企业", "credit_code": None, "address": "", "industry": "", "legal_representative": "",
                   "contact_phone": "", "liaison": "", "name_initials": ""},
    "inspection": {"ended_at": None, "inspector_ids": "[]", "place": "", "snapshot_ids": "[]", "status": "draft",
                   "notes": ""},
    "finding": {"snapshot_id": None, "item_id": None, "item_text": "", "seq": 0, "result": "fail", "description": "",
                "location": "", "level": "general", "major_clause": "", "requirement": "", "deadline": None,
                "basis": "", "status": "pending", "responsible_person": "", "closed_at": None},
    "photo": {"seq": 0, "caption": "", "original_size": 0, "width": 8, "height": 8, "captured_at": None,
              "original_name": "IMG.jpg", "kind": "before", "reinspection_id": None},
    "notice": {"kind": "park", "inspection_id": None, "reinspection_id": None, "finding_ids": "[]", "number_id": None,
               "status": "issued", "template_family": "park", "supersedes_id": None, "correction_reason": "",
               "void_reason": ""},
    "document_number": {"kind": "park", "prefix": "兴经开安改", "year": 2026, "notice_id": None, "voided_at": None,
                        "void_reason": ""},
}


def stamp(seconds: int) -> str:
    return to_utc_text(BASE_TIME + timedelta(seconds=seconds))


def fast_tmp_dir() -> Path:
    """A scratch folder on tmpfs when there is one (fsync is free there), else the system temp."""
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix="inspector-sync-", dir=base))


@lru_cache(maxsize=1)
def template_bytes() -> bytes:
    from inspector.db.database import Database

    folder = Path(tempfile.mkdtemp(prefix="inspector-template-"))
    try:
        Database.open(folder / "t.db", folder / "backups").close()
        connection = sqlite3.connect(folder / "t.db")
        connection.execute("DELETE FROM local_meta")
        connection.commit()
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.close()
        return (folder / "t.db").read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@lru_cache(maxsize=4)
def image(index: int) -> bytes:
    """A small real JPEG, different per index."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), ((index * 70) % 256, 120, 200 - index * 30)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def pdf_bytes(text: str) -> bytes:
    """A minimal real one-page PDF."""
    stream = f"BT /F1 12 Tf 20 20 Td ({text}) Tj ET".encode("ascii")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 60] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


class Device:
    def __init__(self, folder: Path, name: str):
        self.folder, self.name = Path(folder), name
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / "inspector.db"
        self.backups = self.folder / "backups"
        self.device_id = str(uuid.uuid5(NAMESPACE, name))
        self.path.write_bytes(template_bytes())
        with self.connect() as connection:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("INSERT INTO local_meta (key, value) VALUES ('device_id', ?)", (self.device_id,))
        self.counter = 0
        self.exports = 0

    def connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path)
        connection.execute("PRAGMA foreign_keys=ON")
        return connection

    def new_id(self) -> str:
        self.counter += 1
        return str(uuid.uuid5(NAMESPACE, f"{self.name}/{self.counter}"))

    def insert(self, table: str, at: int, **fields) -> str:
        row = {"id": self.new_id(), "created_at": stamp(at), "updated_at": stamp(at), "device_id": self.device_id,
               "rev": 1, "deleted_at": None} | DEFAULTS.get(table, {}) | fields
        names = ", ".join(row)
        with self.connect() as connection:
            connection.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
        return row["id"]

    def update(self, table: str, row_id: str, at: int, **fields) -> None:
        sets = ", ".join(f"{name} = ?" for name in fields)
        with self.connect() as connection:
            connection.execute(f"UPDATE {table} SET {sets}, updated_at = ?, rev = rev + 1 WHERE id = ?",
                               [*fields.values(), stamp(at), row_id])

    def delete(self, table: str, row_id: str, at: int) -> None:
        self.update(table, row_id, at, deleted_at=stamp(at))

    # --- convenient rows -------------------------------------------------------------------
    def enterprise(self, at: int, name: str = "兴国县测试有限公司") -> str:
        return self.insert("enterprise", at, name=name)

    def inspection(self, at: int, enterprise_id: str) -> str:
        return self.insert("inspection", at, enterprise_id=enterprise_id, started_at=stamp(at))

    def finding(self, at: int, inspection_id: str, description: str = "灭火器压力不足") -> str:
        return self.insert("finding", at, inspection_id=inspection_id, description=description)

    def photo(self, at: int, finding_id: str, picture: int = 0, caption: str = "") -> str:
        data = image(picture)
        digest = hashlib.sha256(data).hexdigest()
        return self.insert("photo", at, finding_id=finding_id, jpeg=data, thumbnail=data, original_sha256=digest,
                           jpeg_sha256=digest, original_size=len(data), caption=caption)

    def notice(self, at: int, enterprise_id: str, number_text: str = "兴经开安改〔2026〕1号") -> str:
        pdf = pdf_bytes(number_text.encode("unicode_escape").decode("ascii"))
        return self.insert("notice", at, enterprise_id=enterprise_id, number_text=number_text, issued_at=stamp(at),
                           pdf=pdf, pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                           content_sha256=hashlib.sha256(number_text.encode()).hexdigest())

    def number(self, at: int, seq: int, **fields) -> str:
        return self.insert("document_number", at, seq=seq, **fields)

    # --- sync ------------------------------------------------------------------------------
    def export(self, since_last: bool = False, target: str = "office", **options) -> Path:
        self.exports += 1
        out = self.folder / f"{self.name}-export-{self.exports}.db"
        export_database(self.path, out, ExportOptions(since_last=since_last, target=target, **options))
        return out

    def merge(self, *files: Path, dry_run: bool = False):
        return merge_files(self.path, list(files), backups_dir=self.backups, dry_run=dry_run, keep_backups=2)

    def clone(self, folder: Path, name: str | None = None) -> "Device":
        """A copy of this database in another folder (SQLite backup API: WAL content included)."""
        copy = Device.__new__(Device)
        copy.folder, copy.name = Path(folder), name or self.name
        copy.folder.mkdir(parents=True, exist_ok=True)
        copy.path, copy.backups = copy.folder / "inspector.db", copy.folder / "backups"
        copy.device_id, copy.counter, copy.exports = self.device_id, self.counter, self.exports
        source, target = sqlite3.connect(self.path), sqlite3.connect(copy.path)
        source.backup(target)
        source.close()
        target.close()
        return copy

    def fingerprint(self) -> str:
        return content_fingerprint(self.path)

    def rows(self, table: str) -> dict[str, dict]:
        connection = self.connect()
        try:
            cursor = connection.execute(f"SELECT * FROM {table}")
            names = [d[0] for d in cursor.description]
            return {row[0]: dict(zip(names, row)) for row in cursor}
        finally:
            connection.close()

    def live(self, table: str) -> list[str]:
        return sorted(i for i, row in self.rows(table).items() if not row.get("deleted_at"))

    def conflicts(self) -> list[dict]:
        connection = self.connect()
        try:
            return [{"table": t, "row_id": r, "kept": json.loads(k), "other": json.loads(o)}
                    for t, r, k, o in connection.execute("SELECT table_name, row_id, kept, other FROM sync_conflict")]
        finally:
            connection.close()


@lru_cache(maxsize=1)
def specs() -> dict[str, TableSpec]:
    folder = fast_tmp_dir()
    try:
        path = folder / "s.db"
        path.write_bytes(template_bytes())
        connection = sqlite3.connect(path)
        try:
            return {table: TableSpec.read(connection, table) for table in SYNC_ORDER}
        finally:
            connection.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def order_key(table: str, row: dict) -> tuple:
    """The documented order of versions, written out here independently of the merge code."""
    step = 0
    if table == "notice":
        step = 0 if row["status"] == "issued" else 1
    elif table == "document_number":
        step = 1 if row["voided_at"] else 0
    return (step, row["updated_at"], row["rev"], row["device_id"], specs()[table].body_digest(row),
            row["deleted_at"] or "")


def reseal(path: Path) -> None:
    """Recompute an edited export's manifest with the project's own manifest code, as an attacker (or a
    buggy exporter) would: counts, content SHA-256 and blob hashes all agree with the file again.

    Rows whose version cannot even be computed (``rev='abc'``) are left out of the digest: the verifier
    must refuse them before it hashes anything."""
    from inspector.core.sync.manifest import Manifest, content_digest, read_manifest_text, write_manifest
    from inspector.core.sync.rows import HISTORY_TABLE, table_specs

    connection = sqlite3.connect(path)
    connection.text_factory = lambda raw: raw.decode("utf-8", "surrogateescape")  # a mutant may hold non-UTF-8 text
    try:
        manifest = Manifest.from_json(read_manifest_text(connection))
        specs, table_versions, counts = table_specs(connection), {}, {}
        for table in SYNC_ORDER:
            spec = specs[table]
            select = ", ".join(f'"{name}"' for name in spec.digest_columns)
            table_versions[table] = {}
            rows = connection.execute(f"SELECT {select} FROM {table}").fetchall()
            for values in rows:
                try:
                    version = spec.version_of(values)
                except (TypeError, ValueError, KeyError):
                    continue
                if not isinstance(version.id, str):
                    continue
                table_versions[table][version.id] = version
            counts[table] = len(rows)
        history = [row for row in connection.execute(f"SELECT table_name, row_id, version FROM {HISTORY_TABLE}")
                   if all(isinstance(value, str) for value in row)]
        manifest.counts = counts | {HISTORY_TABLE: len(history)}
        manifest.content_sha256 = content_digest(table_versions, history)
        # A forger can only write text keys into the JSON manifest: rows whose id is not text are left out.
        manifest.photos = {i: hashlib.sha256(j).hexdigest() for i, j in connection.execute("SELECT id, jpeg FROM photo")
                           if isinstance(i, str) and isinstance(j, bytes)}
        manifest.notices = {i: hashlib.sha256(p).hexdigest() for i, p in connection.execute("SELECT id, pdf FROM notice")
                            if isinstance(i, str) and isinstance(p, bytes)}
        write_manifest(connection, manifest)
        connection.commit()
    finally:
        connection.close()


def tamper(source: Path, target: Path, *statements: str | tuple) -> Path:
    """A copy of an export with ``statements`` applied (foreign keys off, as SQLite's default) and resealed."""
    shutil.copy(source, target)
    connection = sqlite3.connect(target)
    try:
        for statement in statements:
            sql, params = (statement, ()) if isinstance(statement, str) else statement
            connection.execute(sql, params)
        connection.commit()
    finally:
        connection.close()
    reseal(target)
    return target


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def typed_rows(path, skip_tables=(), skip_columns=None) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table's (columns, rows), each value next to its SQLite type, rows in a fixed order (blobs byte
    for byte); ``skip_columns`` {table: names} leaves out values that differ by nature (new ids, clocks)."""
    skip_columns = skip_columns or {}
    connection = sqlite3.connect(path)
    try:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        result = {}
        for table in (t for t in tables if t not in skip_tables):
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')
                       if row[1] not in skip_columns.get(table, ())]
            typed = ", ".join(f'"{c}", typeof("{c}")' for c in columns)
            result[table] = (columns, sorted(connection.execute(f'SELECT {typed} FROM "{table}"').fetchall(), key=repr))
        return result
    finally:
        connection.close()
