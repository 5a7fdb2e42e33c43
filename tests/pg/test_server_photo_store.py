"""tests/core/photos/test_photo_store.py again, on the office's PostgreSQL server (see tests/pg/rerun.py):
real camera files stored upright with thumbnails, bad files refused, duplicates, captions, order,
tombstones, bulk import by capture time (the eight folders of real photos are decoded on the laptop's
run only: the same store calls, no other SQL; about 25 s at load 10). The two tests that read the SQLite file are restated below
against the server's rows and its own check."""

from __future__ import annotations

import hashlib

from sqlalchemy import text

from tests.core.photos import test_photo_store as laptop_tests
from tests.pg.rerun import rerun_on_office

rerun_on_office(laptop_tests, globals(), skip={
    "test_real_camera_files_are_stored_upright_with_thumbnails_in_order",  # these two read the SQLite file
    "test_caption_delete_and_reorder",
    "test_every_kind_of_real_photo_is_stored_or_refused_with_a_message",  # 8 folders of decoding, no new SQL
})


def test_stored_photos_keep_their_hashes_and_deleting_leaves_a_tombstone_on_the_server(hazard):
    from inspector.core.photos.store import attach_photos, delete_photo, list_photos, load_jpeg
    from inspector.core.sync.server_check import check_server_database

    db, _, finding = hazard
    files = [laptop_tests.PHOTOS / "Canon_40D.jpg", laptop_tests.PHOTOS / "portrait_6.jpg"]
    added = attach_photos(db, finding_id=finding.id, sources=files).added
    assert [p.original_name for p in list_photos(db, finding.id)] == [f.name for f in files]
    delete_photo(db, added[1].id)
    with db.engine.connect() as connection:
        rows = {r[0]: r[1:] for r in connection.execute(text(
            "SELECT id, original_sha256, jpeg_sha256, original_size, device_id, deleted_at FROM photo"))}
    original = files[0].read_bytes()
    assert rows[added[0].id][:4] == (hashlib.sha256(original).hexdigest(),
                                     hashlib.sha256(load_jpeg(db, added[0].id)).hexdigest(), len(original), db.device_id)
    assert rows[added[0].id][4] is None and rows[added[1].id][4] is not None  # a tombstone, not a DELETE
    assert [p.id for p in list_photos(db, finding.id)] == [added[0].id]
    assert check_server_database(db) == []
