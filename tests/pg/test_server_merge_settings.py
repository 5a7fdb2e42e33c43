"""How the server merge works the server: more work memory for its own transaction only, and its history entries
staged by COPY then put into sync_version in key order (docs/server-scale.md, session 7)."""

from __future__ import annotations

from sqlalchemy import text

from inspector.core.sync import server_apply, server_merge
from inspector.core.sync.server_merge import MERGE_WORK_MEM, merge_into_server
from tests.core.sync.test_sync_support import Device
from tests.pg.server_merge_support import server_state


def _laptop(folder) -> tuple[Device, str, str]:
    device = Device(folder / "a", "a")
    enterprise = device.enterprise(1)
    return device, enterprise, device.finding(2, device.inspection(2, enterprise))


def test_the_merge_has_more_work_memory_in_its_transaction_and_leaves_the_setting_alone(folder, pg_db, monkeypatch):
    seen, real = [], server_merge._merge

    def spying(server, *args):
        seen.append(server.execute(text("SHOW work_mem")).scalar())
        return real(server, *args)

    with pg_db.engine.connect() as connection:
        default = connection.execute(text("SHOW work_mem")).scalar()
    monkeypatch.setattr(server_merge, "_merge", spying)
    sent = _laptop(folder)[0].export()
    merge_into_server(pg_db, [sent], dry_run=True)
    merge_into_server(pg_db, [sent])
    assert seen == [MERGE_WORK_MEM, MERGE_WORK_MEM] and default != MERGE_WORK_MEM
    for _ in range(3):  # whichever pooled connection comes next: SET LOCAL ended with the merge's transaction
        with pg_db.engine.connect() as connection:
            assert connection.execute(text("SHOW work_mem")).scalar() == default


def test_the_history_goes_through_the_staging_table_and_arrives_whole(folder, pg_db, monkeypatch):
    targets, real = [], server_apply.copy_rows

    def spying(server, server_table, rows):
        targets.append(server_table.table)
        return real(server, server_table, rows)

    monkeypatch.setattr(server_apply, "copy_rows", spying)
    laptop, enterprise, finding = _laptop(folder)
    sent = laptop.export()
    merge_into_server(pg_db, [sent])
    assert server_apply.STAGED_HISTORY in targets and "sync_version" not in targets
    history = server_state(pg_db)["sync_version"]
    assert {(table, row_id) for table, row_id, _, _ in history} >= {("enterprise", enterprise), ("finding", finding)}
    assert {seq for *_, seq in history} == {1}
    with pg_db.engine.connect() as connection:  # dropped with the merge's transaction
        assert connection.execute(text("SELECT to_regclass('merge_history_staged')")).scalar() is None
    merge_into_server(pg_db, [sent])  # the same entries again: known, skipped, nothing fails
    assert server_state(pg_db)["sync_version"] == history
