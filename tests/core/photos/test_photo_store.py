"""Photos of findings in the database, with real camera files and bad input; bulk import by capture time."""

from __future__ import annotations

import hashlib
import io
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image

from inspector.core.photos.bulk_import import HazardTarget, hazard_targets, import_assigned, scan_photos, suggest_targets
from inspector.core.records.enterprises import create_enterprise
from inspector.core.records.inspection_state import load_state
from inspector.core.records.inspections import add_free_finding, answer_item, start_inspection
from inspector.core.records.inspectors import add_inspector
from inspector.core.sync.integrity import check_database
from inspector.core.photos.store import (
    attach_photos,
    delete_photo,
    list_photos,
    load_jpeg,
    move_photo,
    reorder_photos,
    set_caption,
)
from inspector.errors import NotFoundError, UserError
from tests.helpers import REAL_PHOTOS

PHOTOS = Path(__file__).resolve().parents[2] / "data" / "photos"
CHINA = timezone(timedelta(hours=8))


def pillow_file(path: Path, fmt: str = "JPEG", size=(640, 480), colour="orange", taken: datetime | None = None) -> Path:
    image = Image.new("RGB", size, colour)
    params = {}
    if taken is not None:
        exif = Image.Exif()
        exif[0x0132] = taken.astimezone(CHINA).strftime("%Y:%m:%d %H:%M:%S")  # DateTime, camera-local
        params["exif"] = exif
    image.save(path, fmt, **params)
    return path


@pytest.fixture
def hazard(services):
    db = services.db
    enterprise = create_enterprise(db, name="兴国县赣南冷链物流有限公司")
    team = [add_inspector(db, name="王伟").id, add_inspector(db, name="李芳").id]
    inspection = start_inspection(db, enterprise_id=enterprise.id, checklists=[services.checklists.by_id("cold-storage")],
                                  inspector_ids=team, place="冷藏库房")
    item = load_state(db, inspection.id).items[1]
    finding = answer_item(db, inspection_id=inspection.id, snapshot_id=item.snapshot_id, item_id=item.item.id,
                          result="fail")
    return db, inspection, finding


def test_real_camera_files_are_stored_upright_with_thumbnails_in_order(hazard, services):
    db, _, finding = hazard
    files = [PHOTOS / "portrait_6.jpg", PHOTOS / "landscape_8.jpg", PHOTOS / "Canon_40D.jpg", PHOTOS / "DSCN0010.jpg"]
    seen = []
    result = attach_photos(db, finding_id=finding.id, sources=files, progress=lambda d, t: seen.append((d, t)))
    assert result.problems == [] and len(result.added) == 4
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    stored = list_photos(db, finding.id)
    assert [p.original_name for p in stored] == [f.name for f in files] and [p.seq for p in stored] == [0, 1, 2, 3]
    assert stored[0].height > stored[0].width and stored[1].width > stored[1].height  # EXIF orientation applied
    assert stored[3].captured_at == datetime(2008, 10, 22, 16, 28, 39, tzinfo=CHINA).astimezone(timezone.utc)
    for photo in stored:
        thumb = Image.open(io.BytesIO(photo.thumbnail))
        assert max(thumb.size) <= 256 and thumb.format == "JPEG"
    row = sqlite3.connect(services.paths.database).execute(
        "SELECT original_sha256, jpeg_sha256, original_size, device_id FROM photo WHERE id = ?", (stored[2].id,)).fetchone()
    original = (PHOTOS / "Canon_40D.jpg").read_bytes()
    assert row[0] == hashlib.sha256(original).hexdigest() and row[2] == len(original) and row[3] == db.device_id
    assert row[1] == hashlib.sha256(load_jpeg(db, stored[2].id)).hexdigest()
    assert check_database(services.paths.database) == []


SHARED = REAL_PHOTOS  # carried in tests/data so that none of these tests skip in a clone
SHARED_KINDS = ["cameras", "gps", "mobile", "hdr", "heic", "invalid", "tests", "orientation"]


@pytest.mark.parametrize("kind", SHARED_KINDS)
def test_every_kind_of_real_photo_is_stored_or_refused_with_a_message(hazard, kind):
    """The workplace's real camera and phone files: each stored, or refused in one Chinese sentence."""
    folder = SHARED / kind
    if not folder.is_dir():
        pytest.skip(f"shared test photos not available: {folder}")
    db, _, finding = hazard
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".jpg", ".jpeg", ".heic"))
    result = attach_photos(db, finding_id=finding.id, sources=files)
    assert len(result.added) + len(result.problems) == len(files)
    assert all(problem.startswith("照片") and problem.endswith("。") for problem in result.problems)
    if kind != "heic":  # without the HEIC decoder those are refused with advice; every JPEG here is sound
        assert len(result.added) == len(files), result.problems
    for photo in list_photos(db, finding.id):
        stored = Image.open(io.BytesIO(load_jpeg(db, photo.id)))
        assert stored.format == "JPEG" and max(stored.size) <= 2048 and stored.size == (photo.width, photo.height)


def test_pasted_png_and_webp_bytes_and_generated_files(hazard, tmp_path):
    db, _, finding = hazard
    png = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 128, 255, 120)).save(png, "PNG")
    webp = pillow_file(tmp_path / "scene.webp", "WEBP")
    result = attach_photos(db, finding_id=finding.id, sources=[("粘贴的图片.png", png.getvalue()), webp])
    assert result.problems == []
    stored = list_photos(db, finding.id)
    assert [p.original_name for p in stored] == ["粘贴的图片.png", "scene.webp"]
    assert Image.open(io.BytesIO(load_jpeg(db, stored[0].id))).format == "JPEG"


def test_bad_files_are_reported_and_the_good_ones_kept(hazard, tmp_path):
    db, _, finding = hazard
    text = tmp_path / "notes.jpg"
    text.write_text("这不是照片", encoding="utf-8")
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    folder = tmp_path / "DCIM.jpg"
    folder.mkdir()
    good = pillow_file(tmp_path / "good.jpg")
    sources = [text, good, empty, tmp_path / "gone.jpg", folder, ("clip.png", b"\x89PNG\r\n\x1a\n broken")]
    result = attach_photos(db, finding_id=finding.id, sources=sources)
    assert [p.original_name for p in result.added] == ["good.jpg"]
    assert len(result.problems) == 5
    for name, problem in zip(["notes.jpg", "empty.jpg", "gone.jpg", "DCIM.jpg", "clip.png"], result.problems):
        assert name in problem
    assert [p.original_name for p in list_photos(db, finding.id)] == ["good.jpg"]


def test_the_same_photo_twice_is_not_added_again(hazard):
    db, _, finding = hazard
    source = PHOTOS / "landscape_1.jpg"
    attach_photos(db, finding_id=finding.id, sources=[source])
    again = attach_photos(db, finding_id=finding.id, sources=[source])
    assert again.added == [] and "已在这条记录中" in again.problems[0]
    assert len(list_photos(db, finding.id)) == 1


def test_caption_delete_and_reorder(hazard, services):
    db, _, finding = hazard
    files = [PHOTOS / f"landscape_{n}.jpg" for n in (1, 2, 3)]
    ids = [p.id for p in attach_photos(db, finding_id=finding.id, sources=files).added]
    set_caption(db, ids[1], "  氨制冷机房  泄漏报警器缺失 ")
    assert list_photos(db, finding.id)[1].caption == "氨制冷机房 泄漏报警器缺失"
    with pytest.raises(UserError, match="过长"):
        set_caption(db, ids[1], "长" * 300)
    move_photo(db, ids[2], -1)
    assert [p.id for p in list_photos(db, finding.id)] == [ids[0], ids[2], ids[1]]
    move_photo(db, ids[0], -1)  # already first: stays
    reorder_photos(db, finding.id, [ids[1], ids[0]])
    assert [p.id for p in list_photos(db, finding.id)] == [ids[1], ids[0], ids[2]]
    delete_photo(db, ids[0])
    assert [p.id for p in list_photos(db, finding.id)] == [ids[1], ids[2]]
    with pytest.raises(NotFoundError):
        load_jpeg(db, ids[0])
    row = sqlite3.connect(services.paths.database).execute("SELECT deleted_at FROM photo WHERE id = ?", (ids[0],)).fetchone()
    assert row[0] is not None  # a tombstone, not a DELETE
    more = attach_photos(db, finding_id=finding.id, sources=[PHOTOS / "portrait_1.jpg"]).added
    assert list_photos(db, finding.id)[-1].id == more[0].id


def test_attaching_to_a_missing_finding_is_refused(hazard):
    db, _, _ = hazard
    with pytest.raises(NotFoundError):
        attach_photos(db, finding_id="nope", sources=[PHOTOS / "landscape_1.jpg"])


def test_bulk_import_matches_photos_to_hazards_by_capture_time(hazard, tmp_path):
    db, inspection, first = hazard
    second = add_free_finding(db, inspection_id=inspection.id, description="消防通道堆放纸箱")
    t1, t2 = first.created_at, first.created_at + timedelta(hours=1)
    targets = [HazardTarget(first.id, "1", t1), HazardTarget(second.id, "2", t2)]
    card = tmp_path / "DCIM" / "100APPLE"
    card.mkdir(parents=True)
    pillow_file(card / "IMG_0001.JPG", taken=t1 + timedelta(minutes=3))
    pillow_file(card / "IMG_0002.JPG", taken=t2 - timedelta(minutes=10))
    pillow_file(card / "IMG_0003.JPG", taken=t2 + timedelta(hours=5))       # nothing near: by hand
    pillow_file(card / "IMG_0004.PNG", "PNG")                                # no capture time
    (card / "IMG_0005.JPG").write_bytes(b"garbage")                         # unreadable
    shutil.copy(PHOTOS / "portrait_3.jpg", card / ".hidden.jpg")             # hidden: skipped
    (card / "notes.txt").write_text("x")

    scanned = scan_photos(tmp_path / "DCIM")
    assert [p.path.name for p in scanned] == [f"IMG_000{n}.{'PNG' if n == 4 else 'JPG'}" for n in range(1, 6)]
    assert scanned[0].captured_at == (t1 + timedelta(minutes=3)).replace(microsecond=0)
    assert scanned[3].captured_at is None and scanned[4].problem and "IMG_0005" in scanned[4].problem
    suggested = suggest_targets(scanned, targets)
    assert suggested == [first.id, second.id, None, None, None]

    assignments = list(zip([p.path for p in scanned], suggested))
    assignments[3] = (scanned[3].path, first.id)  # assigned by hand
    seen = []
    result = import_assigned(db, assignments, progress=lambda d, t: seen.append((d, t)))
    assert result.problems == [] and len(result.added) == 3 and seen[-1] == (3, 3)
    assert [p.original_name for p in list_photos(db, first.id)] == ["IMG_0001.JPG", "IMG_0004.PNG"]
    assert [p.original_name for p in list_photos(db, second.id)] == ["IMG_0002.JPG"]
    assert [t.finding_id for t in hazard_targets(db, inspection.id)] == [first.id, second.id]


def test_scanning_a_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(UserError):
        scan_photos(tmp_path / "no-card")
