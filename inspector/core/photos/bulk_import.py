"""Bulk photo import from a phone or SD card folder: scan, match to hazards by time, import.

Scanning reads only each file's header and EXIF (no pixel decoding), so a card of a few
hundred photos is listed quickly; the full check and downscaling happen at import, photo
by photo, through :func:`inspector.core.photos.store.attach_photos`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Sequence

from inspector.core.photos.store import AttachResult, attach_photos
from inspector.db.database import Database
from inspector.errors import UserError

Progress = Callable[[int, int], None]
DEFAULT_TOLERANCE = timedelta(minutes=30)


@dataclass(frozen=True)
class ScannedPhoto:
    path: Path
    captured_at: datetime | None
    problem: str | None = None  # why it cannot be imported, when it cannot


@dataclass(frozen=True)
class HazardTarget:
    """A hazard a photo can go to, with the time it was recorded (what capture times are matched to)."""

    finding_id: str
    label: str
    recorded_at: datetime


def scan_photos(folder: str | Path, progress: Progress | None = None) -> list[ScannedPhoto]:
    """Every image file under ``folder`` with its capture time; unreadable files carry a problem."""
    from inspector.core.photos.ingest import scan_folder

    paths = scan_folder(folder)
    scanned = []
    for done, path in enumerate(paths, 1):
        scanned.append(_read_time(path))
        if progress:
            progress(done, len(paths))
    return scanned


def hazard_targets(db: Database, inspection_id: str) -> list[HazardTarget]:
    """The inspection's hazards; a hazard counts as recorded when its row was first saved."""
    from inspector.core.records.inspections import hazards_of

    return [HazardTarget(finding.id, hazard_label(finding, number), finding.created_at)
            for number, finding in enumerate(hazards_of(db, inspection_id), 1)]


def hazard_label(finding, number: int, width: int = 24) -> str:
    text = " ".join(finding.description.split()) or "（未填写描述）"
    text = text if len(text) <= width else text[: width - 1] + "…"
    return f"{finding.item_id or f'自由隐患{number}'} {text}"


def suggest_targets(photos: Sequence[ScannedPhoto], hazards: Sequence[HazardTarget],
                    tolerance: timedelta = DEFAULT_TOLERANCE) -> list[str | None]:
    """For each photo, the finding id of the hazard recorded nearest its capture time, or None."""
    from inspector.core.photos.ingest import match_by_capture_time

    times = [None if photo.problem else photo.captured_at for photo in photos]
    matches = match_by_capture_time(times, [h.recorded_at for h in hazards], tolerance)
    return [hazards[index].finding_id if index is not None else None for index in matches]


def import_assigned(db: Database, assignments: Sequence[tuple[Path, str | None]],
                    progress: Progress | None = None) -> AttachResult:
    """Attach each (path, finding id) pair; pairs without a finding are skipped."""
    by_finding: dict[str, list[Path]] = defaultdict(list)
    for path, finding_id in assignments:
        if finding_id:
            by_finding[finding_id].append(path)
    total = sum(len(paths) for paths in by_finding.values())
    result, done = AttachResult(), 0
    for finding_id, paths in by_finding.items():
        offset = done
        part = attach_photos(db, finding_id=finding_id, sources=paths,
                             progress=(lambda n, _t, o=offset: progress(o + n, total)) if progress else None)
        result.added += part.added
        result.problems += part.problems
        done += len(paths)
    return result


def _read_time(path: Path) -> ScannedPhoto:
    from inspector.core.photos.decode import open_image
    from inspector.core.photos.exif import read_metadata

    try:
        data = path.read_bytes()
        if not data:
            return ScannedPhoto(path, None, f"照片 {path.name} 是空文件。")
        image = open_image(data, path.name)
        return ScannedPhoto(path, read_metadata(image).captured_at)
    except UserError as error:
        return ScannedPhoto(path, None, error.message)
    except OSError as error:
        return ScannedPhoto(path, None, f"无法读取照片 {path.name}（{error.strerror or error}）。")
