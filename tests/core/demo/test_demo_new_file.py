"""`inspector demo` into a data directory without a database builds a new file to the side (no journal, stamp
triggers skipped, indexes after the load) and links it into place; into an existing database it appends as
before. Either way the result must be what a write with the triggers on gives, in a migrated schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from inspector.cli import main


def demo(data_dir: Path, *extra) -> int:
    return main(["--data-dir", str(data_dir), "demo", "--inspections", "40", *map(str, extra)])


def connect(data_dir: Path) -> sqlite3.Connection:
    return sqlite3.connect(data_dir / "inspector.db")


def schema(connection: sqlite3.Connection) -> list[tuple]:
    return sorted(connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall(),
                  key=lambda row: (row[0], row[1]))


def stamped_rows(connection: sqlite3.Connection) -> set[tuple[str, str]]:
    from inspector.core.demo.changes import stamped_tables

    return {(table, row_id) for table in stamped_tables(connection)
            for (row_id,) in connection.execute(f"SELECT id FROM {table}")}


def written_with_triggers(source: Path, folder: Path) -> sqlite3.Connection:
    """Every synced row of ``source`` inserted into a migrated database with the stamp triggers on."""
    from inspector.core.demo.changes import stamped_tables
    from inspector.db.database import Database

    folder.mkdir()
    Database.open(folder / "inspector.db", folder / "backups").close()
    target = sqlite3.connect(folder / "inspector.db", isolation_level=None)
    target.execute("ATTACH DATABASE ? AS source", (str(source),))
    target.execute("BEGIN")
    for table in stamped_tables(target):
        target.execute(f"INSERT INTO main.{table} SELECT * FROM source.{table}")
    target.execute("COMMIT")
    return target


def leftovers(data_dir: Path) -> list[str]:
    return sorted(p.name for p in data_dir.iterdir() if p.name not in ("inspector.db", "backups", "settings.json"))


def test_a_new_data_directory_gets_a_migrated_file_listed_as_the_triggers_would(tmp_path):
    from inspector.core.sync.status import unexported, unexported_rehashed
    from inspector.db.database import Database
    from inspector.db.migrations import latest_version

    data = tmp_path / "data"
    assert demo(data) == 0
    assert leftovers(data) == []
    Database.open(tmp_path / "migrated.db", tmp_path / "backups").close()
    connection, migrated = connect(data), sqlite3.connect(tmp_path / "migrated.db")
    assert schema(connection) == schema(migrated)  # the indexes dropped for the load are back, as migrated
    assert connection.execute("PRAGMA user_version").fetchone() == (latest_version(),)
    assert connection.execute("PRAGMA application_id").fetchone() == migrated.execute("PRAGMA application_id").fetchone()
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert connection.execute("SELECT count(*) FROM finding").fetchone()[0] > 40 * 20
    assert connection.execute("SELECT count(*) FROM local_meta WHERE key = 'sync_applying'").fetchone() == (0,)
    listed = set(connection.execute("SELECT table_name, row_id FROM local_change").fetchall())
    assert listed == stamped_rows(connection)
    with_triggers = written_with_triggers(data / "inspector.db", tmp_path / "triggers")
    assert set(with_triggers.execute("SELECT table_name, row_id FROM local_change").fetchall()) == listed
    assert with_triggers.execute("SELECT count(*) FROM sync_stamp").fetchone() == \
        connection.execute("SELECT count(*) FROM sync_stamp").fetchone() == (0,)
    assert unexported(data / "inspector.db") == unexported_rehashed(data / "inspector.db")
    assert main(["--data-dir", str(data), "check"]) == 0


def test_a_demo_into_an_existing_database_appends_and_lists_only_the_new_batch(tmp_path):
    from inspector.core.sync.status import unexported, unexported_rehashed

    data = tmp_path / "data"
    assert demo(data, "--seed", 3) == 0
    assert main(["--data-dir", str(data), "export", "--out", str(tmp_path / "first.db")]) == 0
    connection = connect(data)
    first = stamped_rows(connection)
    assert connection.execute("SELECT count(*) FROM local_change").fetchone() == (0,)  # the export settled them
    connection.close()
    assert demo(data, "--seed", 4) == 0
    connection = connect(data)
    batch = stamped_rows(connection) - first
    changed = set(connection.execute("SELECT table_name, row_id FROM local_change").fetchall())
    assert batch and changed - batch <= {(t, r) for t, r in changed if t in ("number_block", "document_number")}
    assert batch <= changed  # the new batch, listed as the triggers would; the first one stays exported
    assert connection.execute("SELECT count(*) FROM sync_stamp").fetchone()[0] > 0  # the export's stamps...
    assert unexported(data / "inspector.db") == unexported_rehashed(data / "inspector.db")  # ...still true
    assert connection.execute("SELECT count(*) FROM local_meta WHERE key = 'sync_applying'").fetchone() == (0,)
    assert main(["--data-dir", str(data), "check"]) == 0


def test_a_new_file_demo_exports_and_merges(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert demo(a, "--seed", 11) == 0 and demo(b, "--seed", 12, "--history-only") == 0
    assert main(["--data-dir", str(a), "export", "--out", str(tmp_path / "a.db")]) == 0
    assert main(["--data-dir", str(b), "merge", str(tmp_path / "a.db")]) == 0
    inspections = [connect(folder).execute("SELECT count(*) FROM inspection").fetchone()[0] for folder in (a, b)]
    assert inspections[1] == inspections[0] + 40
    assert main(["--data-dir", str(b), "check"]) == 0


def test_a_failed_demo_leaves_the_new_data_directory_without_a_database(tmp_path, monkeypatch, capsys):
    from inspector.core.demo import generate

    def fail_half_way(self, new):
        new.wait()  # the answers and photos its writer thread took ahead, in the batch's transaction
        generate.insert_rows(new.connection, "enterprise", self.rows[generate.Enterprise])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(generate._Batch, "write_new", fail_half_way)
    data = tmp_path / "data"
    assert demo(data) != 0
    assert "错误：" in capsys.readouterr().err
    assert not (data / "inspector.db").exists() and leftovers(data) == []


def test_a_failure_on_the_writer_thread_leaves_the_new_data_directory_without_a_database(tmp_path, monkeypatch,
                                                                                       capsys):
    from inspector.core.demo import answers, generate

    written = []

    def full_disk(connection, chunk, device_id):
        if written:
            raise sqlite3.OperationalError("database or disk is full")
        written.append(answers.insert(connection, chunk, device_id))

    monkeypatch.setattr(generate, "ANSWER_CHUNK", 10)
    monkeypatch.setattr(generate, "insert_answers", full_disk)
    data = tmp_path / "data"
    assert demo(data) != 0
    assert written and "错误：" in capsys.readouterr().err
    assert not (data / "inspector.db").exists() and leftovers(data) == []


def test_a_database_that_appears_meanwhile_is_never_replaced(tmp_path, monkeypatch, capsys):
    from inspector.core.demo import generate
    from inspector.db.database import Database

    data = tmp_path / "data"
    original = generate._Batch.write_new

    def another_program_opens_the_folder(self, new):
        Database.open(data / "inspector.db", data / "backups").close()
        other = sqlite3.connect(data / "inspector.db")
        other.execute("INSERT INTO local_meta (key, value) VALUES ('mine', 'keep me')")
        other.commit()
        other.close()
        original(self, new)

    monkeypatch.setattr(generate._Batch, "write_new", another_program_opens_the_folder)
    assert demo(data) == 1
    assert "已被创建" in capsys.readouterr().err
    connection = connect(data)
    assert connection.execute("SELECT value FROM local_meta WHERE key = 'mine'").fetchone() == ("keep me",)
    assert connection.execute("SELECT count(*) FROM inspection").fetchone() == (0,)
    connection.close()
    assert leftovers(data) == []


@pytest.mark.parametrize("present", ["", "-wal", "-journal"])
def test_only_a_folder_without_the_database_or_its_journals_gets_a_new_file(tmp_path, present):
    from inspector.core.demo.new_file import can_build_new

    target = tmp_path / "inspector.db"
    assert can_build_new(target)
    Path(str(target) + present).write_bytes(b"")
    assert not can_build_new(target)


@pytest.mark.parametrize("into_existing", [False, True])
def test_the_collector_stays_off_until_the_batch_is_freed_and_is_then_as_it_was(tmp_path, monkeypatch, into_existing):
    """Switched on while the batch was alive, its first collections walked all of it again (0.4 s of 10,000
    inspections): the present day's documents are issued with it still off."""
    import gc

    from inspector.core.demo import office

    seen, finish = [], office.finish_present_day
    monkeypatch.setattr(office, "finish_present_day", lambda *a: seen.append(gc.isenabled()) or finish(*a))
    data = tmp_path / "data"
    if into_existing:
        assert demo(data) == 0
        seen.clear()
    was_on = gc.isenabled()
    gc.enable()
    try:
        assert demo(data) == 0
        assert seen == [False] and gc.isenabled()
    finally:
        if not was_on:
            gc.disable()
