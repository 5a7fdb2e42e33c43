"""Which devices an office may give a block to (portable SQL, both backends), and the systemd units of the
scheduled server backup (their command is one this CLI accepts)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from inspector.core.documents.number_devices import allocate_for_device, known_devices, resolve_device
from inspector.errors import UserError

ROOT = Path(__file__).resolve().parents[2]
A, B = "aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-1111-4000-8000-000000000002"


def test_known_devices_come_from_inspections_inspectors_merges_and_blocks(any_db):
    from sqlalchemy import text

    from inspector.core.documents import numbering
    from inspector.core.records.enterprises import create_enterprise
    from inspector.db.models import Inspection, Inspector

    assert [(d.id, d.this) for d in known_devices(any_db)] == [(any_db.device_id, True)]
    enterprise = create_enterprise(any_db, name="兴国县宏达冷链物流有限公司")
    with any_db.session() as session:
        session.add(Inspector(name="王伟", device_id=A))
        session.add(Inspection(enterprise_id=enterprise.id, device_id=A))
    numbering.add_block(any_db, kind="order", prefix="P", year=2026, first=1, last=5, device_id=B)
    with any_db.engine.begin() as connection:
        connection.execute(text("INSERT INTO sync_log (id, kind, at, peer_device_id, path, details) "
                                "VALUES ('log-1', 'merge', '2026-11-30T08:00:00.000000Z', :d, 'f.inspector', '{}')"), {"d": B})
    devices = {d.id: d for d in known_devices(any_db)}
    assert set(devices) == {any_db.device_id, A, B}
    assert devices[A].inspectors == ["王伟"] and devices[A].inspections == 1 and devices[A].last_seen is not None
    assert devices[B].blocks == 1 and devices[B].merges == 1
    assert resolve_device(any_db, A[:8] + "-0000").id == A  # a unique beginning names the device
    with pytest.raises(UserError, match="完整的设备编号"):
        resolve_device(any_db, "aaaaaaaa")  # both ids start so
    with pytest.raises(UserError, match="本数据库中没有设备"):
        allocate_for_device(any_db, kind="order", prefix="P", year=2026, count=3, device="bbbbbbbb-unknown")
    done = allocate_for_device(any_db, kind="order", prefix="P", year=2026, count=3, device=A)
    assert (done.first, done.last, done.device.id) == (6, 8, A)


def test_the_systemd_units_run_a_command_this_cli_accepts():
    from inspector.cli import build_parser

    folder = ROOT / "packaging" / "systemd"
    service = (folder / "inspector-office-backup.service").read_text(encoding="utf-8")
    [line] = [l for l in service.splitlines() if l.startswith("ExecStart=")]
    argv = shlex.split(line.removeprefix("ExecStart="))
    assert argv[0] == "/usr/bin/inspector"
    args = build_parser().parse_args(argv[1:])
    assert args.handler.__name__ == "run_backup_scheduled" and args.database.startswith("postgresql+psycopg://")
    assert "OnCalendar=" in (folder / "inspector-office-backup.timer").read_text(encoding="utf-8")


def test_numbers_devices_lists_them_on_both_backends(any_url, data_dir, capsys):
    import json

    from inspector.cli import main
    from inspector.db.models import Inspector
    from inspector.services import Services

    server = not any_url.startswith("sqlite")
    services = Services(data_dir, database_url=any_url if server else None)
    with services.db.session() as session:
        session.add(Inspector(name="李芳", device_id=A))
    this = services.db.device_id
    services.close()
    office = ["--data-dir", str(data_dir)] + (["--database", any_url] if server else [])
    assert main([*office, "numbers", "devices", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(d["id"], d["this"], d["inspectors"]) for d in listed] == [(this, True, []), (A, False, ["李芳"])]
    assert main([*office, "numbers", "devices"]) == 0
    assert "李芳" in capsys.readouterr().out
