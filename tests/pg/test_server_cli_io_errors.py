"""tests/test_cli_io_errors.py again, with the office database on the server (see tests/pg/rerun.py): a full
disk, a read-only medium or a failing device under an output gives one Chinese sentence, a non-zero exit and
no traceback when the rows come from PostgreSQL."""

from __future__ import annotations

from tests import test_cli_io_errors as laptop_tests
from tests.pg.rerun import office_session, rerun_on_office

rerun_on_office(laptop_tests, globals(), office_dirs=("demo_dir",),
                skip={"test_export_on_a_full_disk_leaves_local_meta_unchanged"})  # restated below


def test_export_on_a_full_disk_leaves_local_meta_unchanged(demo_dir, small_disk):
    """The laptop test reads local_meta from the SQLite file; here from the server (the operation number given back)."""
    from sqlalchemy import text

    def meta():
        with office_session(demo_dir) as session:
            return session.execute(text("SELECT key, value FROM local_meta ORDER BY key")).all()

    assert laptop_tests.run_process("--data-dir", demo_dir, "check").returncode == 0
    before = meta()
    done = laptop_tests.run_process("--data-dir", demo_dir, "export", "--out", small_disk / "x.db")
    assert done.returncode != 0 and "磁盘空间已满" in done.stderr
    laptop_tests.chinese_only(done.stderr)
    assert meta() == before
    assert sorted(p.name for p in small_disk.iterdir()) == []
