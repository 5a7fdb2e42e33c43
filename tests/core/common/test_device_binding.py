"""Issue 11 case 6: a copied data directory must not keep the device id (two laptops, one 文号)."""

from __future__ import annotations

import json
import shutil
import sqlite3

from inspector.cli import main
from inspector.core.common import device_binding
from inspector.core.common.clock import local_today

YEAR = str(local_today().year)


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def device(capsys, data_dir) -> str:
    code, out, _ = run(capsys, "--data-dir", data_dir, "numbers", "device")
    assert code == 0
    return out.strip()


def test_a_copied_data_directory_gets_a_new_device_id_and_cannot_draw_the_originals_numbers(capsys, demo_dir, tmp_path):
    from inspector.services import Services
    from tests.document_dates import future_deadlines

    services = Services(demo_dir)
    future_deadlines(services.db)  # a document issued today may not carry deadlines already passed
    services.close()
    original = device(capsys, demo_dir)
    assert run(capsys, "--data-dir", demo_dir, "numbers", "block", "add", "--kind", "park", "--year", YEAR,
               "--first", "1", "--last", "5")[0] == 0
    rows = json.loads(run(capsys, "--data-dir", demo_dir, "inspections", "--json")[1])
    inspection = next(r["id"] for r in rows if r["hazards"])
    copy = tmp_path / "second-laptop"
    shutil.copytree(demo_dir, copy)

    code, out, err = run(capsys, "--data-dir", copy, "numbers", "device")
    new = out.strip()
    assert code == 0 and new != original
    [notice] = err.strip().splitlines()
    assert notice.startswith("注意：") and "新的设备编号" in notice and "号段" in notice and new in notice
    assert device(capsys, copy) == new  # re-keyed once, then stable
    assert device(capsys, demo_dir) == original  # the original keeps its id and its block

    code, _, err = run(capsys, "--data-dir", copy, "notice", inspection, "--kind", "park", "--issue",
                       "--out", tmp_path / "copy.pdf")
    assert code == 1 and "号段" in err  # the copy cannot issue from the original's block
    code, out, _ = run(capsys, "--data-dir", demo_dir, "notice", inspection, "--kind", "park", "--issue",
                       "--out", tmp_path / "original.pdf")
    assert code == 0 and "1号" in out


def test_a_copy_of_only_the_database_file_is_detected_too(capsys, demo_dir, tmp_path):
    original = device(capsys, demo_dir)
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(demo_dir / "inspector.db", other / "inspector.db")
    assert device(capsys, other) != original


def test_a_database_from_before_binding_keeps_its_id(capsys, demo_dir):
    original = device(capsys, demo_dir)
    connection = sqlite3.connect(demo_dir / "inspector.db")
    with connection:
        connection.execute("DELETE FROM local_meta WHERE key = ?", (device_binding.BINDING_KEY,))
    connection.close()
    code, out, err = run(capsys, "--data-dir", demo_dir, "numbers", "device")
    assert out.strip() == original and err == ""


def test_the_gui_answer_moved_keeps_the_id(demo_dir, tmp_path):
    from inspector.services import Services

    first = Services(demo_dir)
    original = first.db.device_id
    first.close()
    moved = tmp_path / "moved"
    shutil.move(demo_dir, moved)
    services = Services(moved)
    assert services.copied_data() is not None and services.copied_data().device_id == original
    services.keep_moved_device = True  # the person said: moved, not copied
    assert services.db.device_id == original and services.notices == []
    services.close()
    again = Services(moved)
    assert again.copied_data() is None and again.db.device_id == original
    again.close()


def test_fingerprint_depends_on_machine_and_place(tmp_path, monkeypatch):
    here = device_binding.fingerprint(tmp_path)
    assert device_binding.fingerprint(tmp_path / "x") != here
    monkeypatch.setattr(device_binding, "machine_id", lambda: "another-laptop")
    assert device_binding.fingerprint(tmp_path) != here


def test_the_fingerprint_digest_is_hashlibs_sha256():
    """The binding check hashes with Python's built-in SHA-256 (no OpenSSL load before the window's first
    frame): the same digest as hashlib's, so every database bound before still matches."""
    import hashlib

    from inspector.core.common.device_binding import sha256_hex

    for data in (b"", b"machine\0/home/inspector/data", "兴国经开区".encode("utf-8") * 100):
        assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
