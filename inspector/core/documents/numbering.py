"""Document numbers that work offline on many laptops: number blocks (号段) per device.

A number series is (kind, prefix, year), e.g. ("order", "（兴）应急责改", 2025). Each device
draws numbers only from the :class:`NumberBlock` rows assigned to its device id: blocks it
set itself in settings, or blocks the office's database handed out (they arrive by sync,
since ``number_block`` is a synced table). The next number is the lowest number of this
device's blocks that no :class:`DocumentNumber` row of the series holds yet, whichever
device made that row; voided numbers keep their row, so a number is never drawn twice.
After merging databases, :func:`number_report` lists gaps and duplicates per series.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from inspector.errors import NotFoundError, UserError

if TYPE_CHECKING:
    from sqlmodel import Session

    from inspector.db.database import Database
    from inspector.db.models import DocumentNumber, NumberBlock

KIND_NAMES = {"order": "责令限期整改指令书", "park": "安全隐患整改通知书", "record": "现场检查记录",
              "review": "整改复查意见书", "measure": "现场处理措施决定书", "referral": "移送书"}
MAX_BLOCK_SIZE = 100_000
NO_BLOCK_HINT = ("请在“文书设置”中为本机设置号段，或由办公室为本机分配号段"
                 "（inspector numbers block add --kind {kind} --year {year} --first 起号 --last 止号 --device {device}）"
                 "后同步到本机。")


def series_prefix(config, kind: str) -> str:
    """The text before 〔year〕 in a formatted number: ``（兴）应急责改`` or ``兴经开安改``."""
    from inspector.core.documents import format_number

    return format_number(config, kind, 2000, 1).split("\u3014", 1)[0]


def check_kind(kind: str) -> str:
    if kind not in KIND_NAMES:
        raise UserError(f"未知的文书种类“{kind}”，可用：{'、'.join(KIND_NAMES)}。")
    return kind


# --- blocks -------------------------------------------------------------------------------

@dataclass(frozen=True)
class BlockInfo:
    """A number block with how much of it is used."""

    id: str
    kind: str
    prefix: str
    year: int
    first: int
    last: int
    assigned_device_id: str
    note: str
    used: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1

    @property
    def remaining(self) -> int:
        return self.size - self.used

    def as_json(self) -> dict:
        return self.__dict__ | {"remaining": self.remaining}


def add_block(db: "Database", *, kind: str, prefix: str, year: int, first: int, last: int,
              device_id: str | None = None, note: str = "") -> "NumberBlock":
    """Create a block for ``device_id`` (this device by default); overlaps within a series are refused.

    The database refuses them: the block's numbers are claimed (``number_claim``, one primary-key row
    per number) in the block's own transaction, so two office PCs adding overlapping blocks at the same
    moment cannot both succeed. The check before it only words the usual case's message.
    """
    check_kind(kind)
    _check_range(year, first, last)
    if not prefix.strip():
        raise UserError("号段缺少文号前缀。")
    device = (device_id or db.device_id).strip()
    with write_session(db) as session:
        _refuse_overlap(session, kind, prefix.strip(), year, first, last)
        return _insert_block(session, db, kind=kind, prefix=prefix.strip(), year=year, first=first, last=last,
                             device=device, note=note.strip())


def allocate_block(db: "Database", *, kind: str, prefix: str, year: int, count: int,
                   device_id: str | None = None, note: str = "", attempts: int = 20) -> "NumberBlock":
    """A block of the ``count`` lowest free consecutive numbers of the series, for ``device_id``.

    Free means claimed by no live block and drawn by no document. When another PC takes the same
    numbers at the same moment, the database refuses the second block and this one tries the next free run.
    """
    check_kind(kind)
    if not 1 <= count <= MAX_BLOCK_SIZE:
        raise UserError(f"号段大小 {count} 无效，应为 1 到 {MAX_BLOCK_SIZE} 个号。")
    from inspector.core.documents.number_claims import ClaimConflict

    device, prefix = (device_id or db.device_id).strip(), prefix.strip()
    for _ in range(attempts):
        try:
            with write_session(db) as session:
                first = _lowest_free_run(session, kind, prefix, year, count)
                _check_range(year, first, first + count - 1)
                return _insert_block(session, db, kind=kind, prefix=prefix, year=year, first=first,
                                     last=first + count - 1, device=device, note=note.strip())
        except ClaimConflict:
            continue
    raise UserError("其他用户正在同时分配同一文号序列的号段，请稍后重试。")


def _insert_block(session: "Session", db: "Database", *, kind: str, prefix: str, year: int, first: int, last: int,
                  device: str, note: str) -> "NumberBlock":
    from inspector.core.documents.number_claims import claim_numbers
    from inspector.db.models import NumberBlock

    block = NumberBlock(kind=kind, prefix=prefix, year=year, first=first, last=last,
                        assigned_device_id=device, note=note, device_id=db.device_id)
    session.add(block)
    session.flush()
    claim_numbers(session, block)
    return block


def _refuse_overlap(session: "Session", kind: str, prefix: str, year: int, first: int, last: int) -> None:
    for other in _series_blocks(session, kind, prefix, year):
        if other.first <= last and first <= other.last:
            raise UserError(f"号段 {first}–{last} 与已有号段 {other.first}–{other.last}"
                            f"（设备 {other.assigned_device_id[:8]}）重叠，同一文号序列的号段不能重叠。")


def _lowest_free_run(session: "Session", kind: str, prefix: str, year: int, count: int) -> int:
    from inspector.core.documents.number_claims import lowest_free_run

    return lowest_free_run(session, kind, prefix, year, count, drawn=_used_seqs(session, kind, prefix, year))


def remove_block(db: "Database", block_id: str) -> None:
    """Withdraw a block (tombstone): numbers already drawn from it stay used."""
    from inspector.core.documents.number_claims import release_claims
    from inspector.db.models import NumberBlock
    from inspector.db.types import utcnow

    with db.session() as session:
        block = session.get(NumberBlock, block_id)
        if block is None or block.deleted_at is not None:
            raise NotFoundError(f"找不到号段 {block_id}。")
        block.deleted_at = block.updated_at = utcnow()
        block.rev += 1
        session.add(block)
        release_claims(session, block_id)


def list_blocks(db: "Database", device_id: str | None = None) -> list[BlockInfo]:
    """Blocks (of one device, or all), each with its count of used numbers."""
    from sqlmodel import select

    from inspector.db.models import NumberBlock

    with db.session() as session:
        query = select(NumberBlock).where(NumberBlock.deleted_at.is_(None))
        if device_id:
            query = query.where(NumberBlock.assigned_device_id == device_id)
        blocks = session.exec(query.order_by(NumberBlock.kind, NumberBlock.year, NumberBlock.first, NumberBlock.id)).all()
        used = {key: _used_seqs(session, *key) for key in {(b.kind, b.prefix, b.year) for b in blocks}}
    return [
        BlockInfo(b.id, b.kind, b.prefix, b.year, b.first, b.last, b.assigned_device_id, b.note,
                  sum(b.first <= seq <= b.last for seq in used[(b.kind, b.prefix, b.year)]))
        for b in blocks
    ]


def _check_range(year: int, first: int, last: int) -> None:
    if not 2000 <= year <= 2100:
        raise UserError(f"年份 {year} 不合理，应为 2000 到 2100 之间的四位年份。")
    if first < 1 or last < first:
        raise UserError(f"号段 {first}–{last} 无效：起号应不小于 1，止号不小于起号。")
    if last - first + 1 > MAX_BLOCK_SIZE:
        raise UserError(f"号段过大（{last - first + 1} 个号），一个号段最多 {MAX_BLOCK_SIZE} 个号。")


def _series_blocks(session: "Session", kind: str, prefix: str, year: int, device_id: str | None = None):
    from sqlmodel import select

    from inspector.db.models import NumberBlock

    query = select(NumberBlock).where(
        NumberBlock.kind == kind, NumberBlock.prefix == prefix, NumberBlock.year == year,
        NumberBlock.deleted_at.is_(None),
    )
    if device_id is not None:
        query = query.where(NumberBlock.assigned_device_id == device_id)
    return session.exec(query.order_by(NumberBlock.first, NumberBlock.id)).all()


def _used_seqs(session: "Session", kind: str, prefix: str, year: int) -> set[int]:
    from sqlmodel import select

    from inspector.db.models import DocumentNumber

    query = select(DocumentNumber.seq).where(
        DocumentNumber.kind == kind, DocumentNumber.prefix == prefix, DocumentNumber.year == year,
    )
    return set(session.exec(query).all())


class write_session:
    """A session whose transaction takes SQLite's write lock first (BEGIN IMMEDIATE).

    Two devices never share a file, but two threads or processes on one laptop may issue at
    once: the lock makes "read the used numbers, then insert the next" atomic. On the office's server
    (several PCs, one device id) a row lock on ``local_meta``'s device id row does the same: under READ
    COMMITTED the next statement sees what the previous holder committed. Blocks are in addition
    guarded by ``number_claim`` (see :func:`add_block`).
    """

    def __init__(self, db: "Database"):
        self._manager = db.session()

    def __enter__(self) -> "Session":
        import sys

        from sqlalchemy import text

        session = self._manager.__enter__()
        try:
            connection = session.connection()
            if connection.dialect.name != "sqlite":  # the server: one row lock plays BEGIN IMMEDIATE's part
                connection.execute(text("SELECT value FROM local_meta WHERE key = 'device_id' FOR UPDATE"))
            elif not connection.connection.driver_connection.in_transaction:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self._manager.__exit__(*sys.exc_info())  # rolls back, closes, turns "locked" into UserError
            raise
        return session

    def __exit__(self, *exc_info) -> bool | None:
        return self._manager.__exit__(*exc_info)


# --- drawing and voiding ------------------------------------------------------------------

def next_seq(session: "Session", *, kind: str, prefix: str, year: int, device_id: str) -> int:
    """The lowest unused number in this device's blocks of the series, or UserError."""
    blocks = _series_blocks(session, kind, prefix, year, device_id)
    name = KIND_NAMES.get(kind, kind)
    hint = NO_BLOCK_HINT.format(kind=kind, year=year, device=device_id)
    if not blocks:
        raise UserError(f"本机没有{year}年“{prefix}”（{name}）的号段，无法编号。{hint}")
    used = _used_seqs(session, kind, prefix, year)
    for block in blocks:
        for seq in range(block.first, block.last + 1):
            if seq not in used:
                return seq
    ranges = "、".join(f"{b.first}–{b.last}" for b in blocks)
    raise UserError(f"本机{year}年“{prefix}”（{name}）的号段 {ranges} 已用完。{hint}")


def draw_number(session: "Session", *, kind: str, prefix: str, year: int, device_id: str,
                notice_id: str | None = None) -> "DocumentNumber":
    """Add the next number's row to ``session`` (the caller's transaction commits it)."""
    from inspector.db.models import DocumentNumber

    seq = next_seq(session, kind=kind, prefix=prefix, year=year, device_id=device_id)
    number = DocumentNumber(kind=kind, prefix=prefix, year=year, seq=seq, notice_id=notice_id, device_id=device_id)
    session.add(number)
    return number


def void_number(db: "Database", number_id: str, reason: str) -> "DocumentNumber":
    """Void a drawn number (and the notice that carries it): the number stays used, with its reason."""
    from inspector.db.models import DocumentNumber, Notice
    from inspector.db.types import utcnow

    reason = _required_reason(reason)
    with db.session() as session:
        number = session.get(DocumentNumber, number_id)
        if number is None:
            raise NotFoundError(f"找不到文号 {number_id}。")
        if number.voided_at is not None:
            raise UserError(f"文号 {number.seq} 已于此前作废（{number.void_reason}）。")
        mark_voided(number, reason)
        session.add(number)
        notice = session.get(Notice, number.notice_id) if number.notice_id else None
        if notice is not None and notice.status == "issued":
            notice.status, notice.void_reason = "voided", reason
            notice.updated_at, notice.rev = utcnow(), notice.rev + 1
            session.add(notice)
    return number


def mark_voided(number: "DocumentNumber", reason: str) -> None:
    from inspector.db.types import utcnow

    now = utcnow()
    number.voided_at, number.void_reason = now, reason
    number.updated_at, number.rev = now, number.rev + 1


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise UserError("作废须填写原因。")
    return reason


# --- report after merges ------------------------------------------------------------------

@dataclass(frozen=True)
class Duplicate:
    seq: int
    number_ids: tuple[str, ...]
    device_ids: tuple[str, ...]
    notice_ids: tuple[str, ...]


@dataclass(frozen=True)
class SeriesReport:
    kind: str
    prefix: str
    year: int
    used: int  # rows in the series, voided ones included
    voided: int
    highest: int
    gaps: tuple[tuple[int, int], ...]  # ranges below ``highest`` that no row holds
    duplicates: tuple[Duplicate, ...] = ()
    overlapping_blocks: tuple[tuple[str, str], ...] = field(default=())

    @property
    def clean(self) -> bool:
        return not self.duplicates and not self.overlapping_blocks

    def as_json(self) -> dict:
        return {
            "kind": self.kind, "prefix": self.prefix, "year": self.year, "used": self.used,
            "voided": self.voided, "highest": self.highest, "gaps": [list(g) for g in self.gaps],
            "duplicates": [d.__dict__ for d in self.duplicates],
            "overlapping_blocks": [list(p) for p in self.overlapping_blocks],
        }


def number_report(db: "Database") -> list[SeriesReport]:
    """Per series: counts, gaps (numbers below the highest that nobody holds), duplicates, overlaps."""
    from sqlmodel import select

    from inspector.db.models import DocumentNumber, NumberBlock

    with db.session() as session:
        numbers = session.exec(select(DocumentNumber).where(DocumentNumber.deleted_at.is_(None))).all()
        blocks = session.exec(select(NumberBlock).where(NumberBlock.deleted_at.is_(None))).all()
    series: dict[tuple[str, str, int], list] = {}
    for number in numbers:
        series.setdefault((number.kind, number.prefix, number.year), []).append(number)
    for block in blocks:
        series.setdefault((block.kind, block.prefix, block.year), [])
    return [_series_report(key, series[key], [b for b in blocks if (b.kind, b.prefix, b.year) == key])
            for key in sorted(series)]


def _series_report(key: tuple[str, str, int], numbers: list, blocks: list) -> SeriesReport:
    by_seq: dict[int, list] = {}
    for number in sorted(numbers, key=lambda n: n.id):  # the same report from either backend's row order
        by_seq.setdefault(number.seq, []).append(number)
    highest = max(by_seq, default=0)
    duplicates = tuple(
        Duplicate(seq, tuple(n.id for n in rows), tuple(n.device_id for n in rows),
                  tuple(n.notice_id or "" for n in rows))
        for seq, rows in sorted(by_seq.items()) if len(rows) > 1
    )
    return SeriesReport(
        kind=key[0], prefix=key[1], year=key[2], used=len(numbers),
        voided=sum(n.voided_at is not None for n in numbers), highest=highest,
        gaps=tuple(_ranges(seq for seq in range(1, highest) if seq not in by_seq)),
        duplicates=duplicates, overlapping_blocks=tuple(_overlaps(blocks)),
    )


def _ranges(seqs: Iterable[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for seq in seqs:
        if ranges and ranges[-1][1] == seq - 1:
            ranges[-1] = (ranges[-1][0], seq)
        else:
            ranges.append((seq, seq))
    return ranges


def _overlaps(blocks: list) -> list[tuple[str, str]]:
    ordered = sorted(blocks, key=lambda b: (b.first, b.id))
    return [(a.id, b.id) for i, a in enumerate(ordered) for b in ordered[i + 1:] if b.first <= a.last]
