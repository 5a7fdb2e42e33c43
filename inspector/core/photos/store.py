"""Photos of findings in the database: attach (through :func:`inspector.core.photos.ingest.ingest`),
caption, delete (tombstone), reorder, and load thumbnails or the stored JPEG.

Each attached photo is committed on its own as soon as it is ingested, so a batch cut
short by a crash keeps every photo reported as added. A bad file never stops a batch:
its Chinese message is collected and the other photos go on.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator, Sequence, Union

from sqlalchemy import func
from sqlmodel import Session, col, select

from inspector.core.common.synced import set_fields, tombstone
from inspector.db.database import Database
from inspector.db.models import Finding, Inspection, Photo
from inspector.errors import NotFoundError, UserError

#: A file path, the bytes of a pasted image, or (name, bytes).
PhotoSource = Union[str, os.PathLike, bytes, tuple[str, bytes]]
Progress = Callable[[int, int], None]
MAX_CAPTION = 200
INGEST_THREADS = 2


@dataclass(frozen=True)
class StoredPhoto:
    """A photo as lists show it (thumbnail only; load the JPEG with :func:`load_jpeg`)."""

    id: str
    finding_id: str
    seq: int
    caption: str
    thumbnail: bytes = field(repr=False)
    width: int
    height: int
    captured_at: datetime | None
    original_name: str
    kind: str


@dataclass
class AttachResult:
    added: list[StoredPhoto] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one Chinese sentence per refused file


def attach_photos(db: Database, *, finding_id: str, sources: Sequence[PhotoSource], kind: str = "before",
                  reinspection_id: str | None = None, progress: Progress | None = None) -> AttachResult:
    """Ingest and store each source after the finding's last photo; bad files are reported, not fatal."""
    with db.session() as session:
        _check_finding(session, finding_id, kind)
    result = AttachResult()
    for done, (name, outcome) in enumerate(_ingest_all(sources), 1):
        if isinstance(outcome, UserError):
            result.problems.append(outcome.message)
        else:
            _store(db, finding_id, name, outcome, kind, reinspection_id, result)
        if progress:
            progress(done, len(sources))
    return result


def set_caption(db: Database, photo_id: str, caption: str) -> None:
    caption = " ".join((caption or "").split())
    if len(caption) > MAX_CAPTION:
        raise UserError(f"照片说明过长（上限 {MAX_CAPTION} 字）。")
    with db.session() as session:
        photo = _live_photo(session, photo_id)
        if set_fields(photo, {"caption": caption}):
            session.add(photo)


def delete_photo(db: Database, photo_id: str) -> None:
    with db.session() as session:
        photo = _live_photo(session, photo_id)
        tombstone(photo)
        session.add(photo)


def restore_photo(db: Database, photo_id: str) -> None:
    """Undo :func:`delete_photo` (clear the tombstone)."""
    with db.session() as session:
        photo = session.get(Photo, photo_id)
        if photo is None:
            raise NotFoundError(f"找不到照片（编号 {photo_id}）。")
        if set_fields(photo, {"deleted_at": None}):
            session.add(photo)


def reorder_photos(db: Database, finding_id: str, photo_ids: Sequence[str]) -> None:
    """Put the finding's photos in the given order (ids not named keep their place after them)."""
    with db.session() as session:
        photos = _live_photos(session, finding_id)
        by_id = {photo.id: photo for photo in photos}
        ordered = [by_id[i] for i in dict.fromkeys(photo_ids) if i in by_id]
        ordered += [photo for photo in photos if photo not in ordered]
        for seq, photo in enumerate(ordered):
            if set_fields(photo, {"seq": seq}):
                session.add(photo)


def move_photo(db: Database, photo_id: str, step: int) -> None:
    """Move a photo ``step`` places left (negative) or right among its finding's photos."""
    with db.session() as session:
        finding_id = _live_photo(session, photo_id).finding_id
        ids = [photo.id for photo in _live_photos(session, finding_id)]
    index = ids.index(photo_id)
    target = max(0, min(len(ids) - 1, index + step))
    ids.insert(target, ids.pop(index))
    reorder_photos(db, finding_id, ids)


def list_photos(db: Database, finding_id: str, *, kind: str | None = "before") -> list[StoredPhoto]:
    with db.session() as session:
        return [_stored(photo) for photo in _live_photos(session, finding_id, kind)]


def load_jpeg(db: Database, photo_id: str) -> bytes:
    with db.session() as session:
        return _live_photo(session, photo_id).jpeg


# --- attaching ---------------------------------------------------------------------


def _ingest_all(sources: Sequence[PhotoSource]) -> Iterator[tuple[str, object]]:
    """(name, IngestedPhoto or UserError) per source, in order; ingests two at a time."""
    if len(sources) <= 1:
        yield from map(_ingest_one, sources)
        return
    with ThreadPoolExecutor(max_workers=INGEST_THREADS, thread_name_prefix="ingest") as pool:
        yield from pool.map(_ingest_one, sources)


def _ingest_one(source: PhotoSource) -> tuple[str, object]:
    from inspector.core.photos.ingest import ingest

    name = source_name(source)
    try:
        if isinstance(source, tuple):
            return name, ingest(source[1], name=source[0])
        return name, ingest(source)
    except UserError as error:  # PhotoError is a UserError
        return name, error


def source_name(source: PhotoSource) -> str:
    if isinstance(source, tuple):
        return source[0]
    if isinstance(source, (bytes, bytearray)):
        return ""
    return Path(source).name


def _store(db: Database, finding_id: str, name: str, photo, kind: str, reinspection_id, result: AttachResult) -> None:
    with db.session() as session:
        duplicate = session.exec(select(Photo.id).where(
            Photo.finding_id == finding_id, Photo.original_sha256 == photo.original_sha256,
            Photo.kind == kind, col(Photo.deleted_at).is_(None))).first()
        if duplicate:
            result.problems.append(f"照片 {name or '（粘贴的图片）'} 已在这条记录中，未重复添加。")
            return
        if kind == "after" and _is_a_before_photo(session, finding_id, photo.original_sha256):
            result.problems.append(f"照片 {name or '（粘贴的图片）'} 与这项隐患整改前的现场照片相同，"
                                   "不能作为整改后照片，未添加。")
            return
        last = session.exec(select(func.max(Photo.seq)).where(
            Photo.finding_id == finding_id, col(Photo.deleted_at).is_(None))).one()
        row = Photo(
            finding_id=finding_id, seq=(last + 1) if last is not None else 0, jpeg=photo.jpeg,
            thumbnail=photo.thumbnail, original_sha256=photo.original_sha256,
            jpeg_sha256=hashlib.sha256(photo.jpeg).hexdigest(), original_size=photo.original_size,
            width=photo.width, height=photo.height, captured_at=photo.captured_at,
            original_name=photo.original_name or name, kind=kind, reinspection_id=reinspection_id,
            device_id=db.device_id,
        )
        session.add(row)
    result.added.append(_stored(row))


def _is_a_before_photo(session: Session, finding_id: str, original_sha256: str) -> bool:
    """The same file as a photo taken when the hazard was found: no proof of its rectification."""
    return session.exec(select(Photo.id).where(
        Photo.finding_id == finding_id, Photo.original_sha256 == original_sha256, Photo.kind == "before",
        col(Photo.deleted_at).is_(None))).first() is not None


def _check_finding(session: Session, finding_id: str, kind: str) -> None:
    finding = session.get(Finding, finding_id)
    if finding is None or finding.deleted_at is not None:
        raise NotFoundError(f"找不到要附加照片的记录（编号 {finding_id}）。")
    inspection = session.get(Inspection, finding.inspection_id)
    if kind == "before" and inspection is not None and inspection.status == "completed":
        raise UserError("这次检查已完成，不能再添加现场照片；如需更正请先“重新打开”。")


# --- reading -----------------------------------------------------------------------


def _live_photos(session: Session, finding_id: str, kind: str | None = None) -> list[Photo]:
    from sqlalchemy.orm import defer

    statement = (select(Photo).options(defer(Photo.jpeg))  # lists need thumbnails, not the big JPEGs
                 .where(Photo.finding_id == finding_id, col(Photo.deleted_at).is_(None)))
    if kind:
        statement = statement.where(Photo.kind == kind)
    return list(session.exec(statement.order_by(Photo.seq, Photo.created_at)).all())


def _live_photo(session: Session, photo_id: str) -> Photo:
    photo = session.get(Photo, photo_id)
    if photo is None or photo.deleted_at is not None:
        raise NotFoundError(f"找不到照片（编号 {photo_id}），可能已被删除。")
    return photo


def _stored(photo: Photo) -> StoredPhoto:
    return StoredPhoto(photo.id, photo.finding_id, photo.seq, photo.caption, photo.thumbnail, photo.width,
                       photo.height, photo.captured_at, photo.original_name, photo.kind)
