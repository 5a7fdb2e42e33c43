"""Which devices (laptops) an office can hand a number block to, and handing one the next N numbers.

A device is known to a database when something of it is there: inspections or inspectors it recorded,
a merge of its export file (``sync_log``), or a block already assigned to it; plus the database itself.
A block for a device the database has never seen is refused: a mistyped device id would otherwise take
numbers that no laptop can ever use. A new laptop becomes known with its first export merged here.
Portable SQL only (the office database may be the PostgreSQL server).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from inspector.errors import UserError

if TYPE_CHECKING:
    from inspector.db.database import Database

SHORT = 8  # the id's first characters shown in lists; typing them (when unique) names the device
_SOURCES = (
    ("SELECT device_id, MAX(started_at), COUNT(*) FROM inspection WHERE deleted_at IS NULL AND device_id <> '' "
     "GROUP BY device_id", "inspections"),
    ("SELECT peer_device_id, MAX(at), COUNT(*) FROM sync_log WHERE kind = 'merge' AND peer_device_id <> '' "
     "GROUP BY peer_device_id", "merges"),
    ("SELECT device_id, MAX(created_at), COUNT(*) FROM inspector WHERE deleted_at IS NULL AND device_id <> '' "
     "GROUP BY device_id", "registered"),
    ("SELECT assigned_device_id, MAX(updated_at), COUNT(*) FROM number_block WHERE deleted_at IS NULL "
     "AND assigned_device_id <> '' GROUP BY assigned_device_id", "blocks"),
)


@dataclass
class Device:
    id: str
    this: bool = False  # the database's own device id (the office database, or this laptop)
    inspectors: list[str] = field(default_factory=list)  # who registered inspectors on it
    last_seen: datetime | None = None
    inspections: int = 0
    merges: int = 0
    registered: int = 0  # inspectors registered on it
    blocks: int = 0

    @property
    def short(self) -> str:
        return self.id[:SHORT]


def known_devices(db: "Database") -> list[Device]:
    """This database's own device first, then every other known device, most recently seen first."""
    from sqlalchemy import text

    devices: dict[str, Device] = {db.device_id: Device(db.device_id, this=True)}
    with db.engine.connect() as connection:
        for sql, counter in _SOURCES:
            for device_id, moment, count in connection.execute(text(sql)):
                device = devices.setdefault(device_id, Device(device_id))
                setattr(device, counter, count)
                device.last_seen = _latest(device.last_seen, _aware(moment))
        names = connection.execute(text("SELECT device_id, name FROM inspector WHERE deleted_at IS NULL "
                                        "ORDER BY created_at, name"))
        for device_id, name in names:
            if device_id in devices and name not in devices[device_id].inspectors:
                devices[device_id].inspectors.append(name)
    others = sorted((d for d in devices.values() if not d.this),
                    key=lambda d: (d.last_seen or datetime.min.replace(tzinfo=timezone.utc), d.id), reverse=True)
    return [devices[db.device_id]] + others


def resolve_device(db: "Database", typed: str) -> Device:
    """The known device a person named (its whole id, or its first characters when only one id starts so)."""
    typed = (typed or "").strip()
    if not typed:
        raise UserError("请选择或输入要分配号段的设备编号。")
    devices = known_devices(db)
    exact = [d for d in devices if d.id == typed]
    starting = [d for d in devices if d.id.startswith(typed)] if len(typed) >= SHORT else []
    if exact or len(starting) == 1:
        return (exact or starting)[0]
    if len(starting) > 1:
        raise UserError(f"有 {len(starting)} 台设备的编号以“{typed}”开头，请输入完整的设备编号。")
    raise UserError(f"本数据库中没有设备“{typed}”：请核对设备编号（笔记本“文书设置”中显示），"
                    "或先合并该笔记本导出的文件，再为它分配号段。")


@dataclass(frozen=True)
class Allocation:
    kind: str
    prefix: str
    year: int
    first: int
    last: int
    block_id: str
    device: Device


def allocate_for_device(db: "Database", *, kind: str, prefix: str, year: int, count: int, device: str,
                        note: str = "") -> Allocation:
    """The next ``count`` free numbers of the series as a block for a known device (see ``allocate_block``)."""
    from inspector.core.documents.numbering import allocate_block

    target = resolve_device(db, device)
    block = allocate_block(db, kind=kind, prefix=prefix, year=year, count=count, device_id=target.id, note=note)
    return Allocation(block.kind, block.prefix, block.year, block.first, block.last, block.id, target)


def _aware(moment) -> datetime | None:
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return max((m for m in (a, b) if m is not None), default=None)
