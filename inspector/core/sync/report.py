"""What a merge will do (preview) or did (report): plain data for the CLI, the GUI and JSON."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from inspector.core.sync.rows import SYNC_ORDER
from inspector.db.ids import short_id

TABLE_NAMES = {
    "enterprise": "企业", "inspector": "检查人员", "checklist_snapshot": "检查表版本", "inspection": "检查记录",
    "finding": "检查项/隐患", "reinspection": "复查", "photo": "照片", "reinspection_item": "复查项",
    "hazard_event": "隐患处理记录", "notice": "文书", "document_number": "文书编号", "number_block": "编号段",
    "sync_version": "同步版本历史",
}
REASONS = {
    "both_edited": "两边都修改过",
    "clock": "较新的修改时间较早（电脑时钟不准）",
    "frozen": "已出具的文书不可更改",
}


@dataclass
class TableCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    local_newer: int = 0  # the incoming version is older: the local one is kept

    @property
    def changes(self) -> int:
        return self.added + self.updated


@dataclass
class ConflictItem:
    table: str
    row_id: str
    label: str
    reason: str  # both_edited / clock / frozen
    kept: str  # local / incoming
    local_updated_at: str
    incoming_updated_at: str
    fields: list[str]
    source: str  # file name

    @property
    def reason_text(self) -> str:
        return REASONS.get(self.reason, self.reason)


@dataclass
class NumberingReport:
    duplicates: list[dict] = field(default_factory=list)  # {kind, prefix, year, seq, ids}
    gaps: list[dict] = field(default_factory=list)  # {kind, prefix, year, missing: [int]}

    def lines(self) -> list[str]:
        lines = [f"文书编号重复：{d['prefix']}〔{d['year']}〕{d['seq']}号 有 {len(d['ids'])} 条记录" for d in self.duplicates]
        lines += [f"文书编号缺号：{g['prefix']}〔{g['year']}〕{compress(g['missing'])}号" for g in self.gaps]
        return lines


@dataclass
class FileReport:
    path: str
    device_id: str
    exported_at: str
    kind: str
    counts: dict[str, TableCounts] = field(default_factory=lambda: {t: TableCounts() for t in SYNC_ORDER})
    conflicts: list[ConflictItem] = field(default_factory=list)

    def total(self, attribute: str) -> int:
        return sum(getattr(c, attribute) for c in self.counts.values())


@dataclass
class MergeReport:
    dry_run: bool
    files: list[FileReport]
    photos_deduplicated: int = 0
    numbering: NumberingReport = field(default_factory=NumberingReport)
    backup: str = ""
    #: operation number of a laptop merge: its undo journal (``inspector backup undo``), 0 for none
    undo_seq: int = 0
    #: merged number blocks whose numbers other blocks already hold (office server: ``server_claims``)
    block_collisions: list[dict] = field(default_factory=list)

    @property
    def conflicts(self) -> list[ConflictItem]:
        return [c for f in self.files for c in f.conflicts]

    def total(self, attribute: str) -> int:
        return sum(f.total(attribute) for f in self.files)

    @property
    def changes(self) -> int:
        return self.total("added") + self.total("updated") + self.photos_deduplicated

    def to_json(self) -> dict:
        data = asdict(self)
        data["totals"] = {name: self.total(name) for name in ("added", "updated", "unchanged", "local_newer")}
        data["totals"]["conflicts"] = len(self.conflicts)
        return data

    def lines(self) -> list[str]:
        head = "合并预览（尚未做任何修改）：" if self.dry_run else "合并完成："
        lines = [head]
        for report in self.files:
            lines.append(f"文件 {report.path}（设备 {report.device_id[:8]}，导出于 {report.exported_at[:19]}Z）")
            for table in SYNC_ORDER:
                c = report.counts[table]
                if c.added or c.updated or c.local_newer:
                    lines.append(f"  {TABLE_NAMES[table]}：新增 {c.added}，更新 {c.updated}，"
                                 f"本机较新保留 {c.local_newer}，相同 {c.unchanged}")
            if not report.total("added") and not report.total("updated"):
                lines.append(f"  没有新内容（{report.total('unchanged')} 条记录与本机相同）")
            for item in report.conflicts:
                kept = "保留本机版本" if item.kept == "local" else "采用导入版本"
                lines.append(f"  冲突：{TABLE_NAMES[item.table]}「{item.label}」{item.reason_text}，{kept}，"
                             f"另一版本已保存待核对（字段：{'、'.join(item.fields) or '无'}）")
        if self.photos_deduplicated:
            lines.append(f"重复照片（同一隐患、同一原图）合并为一张：{self.photos_deduplicated} 张")
        lines += self.numbering.lines()
        lines += [f"号段重叠：{c['prefix']}〔{c['year']}〕{c['first']}–{c['last']}号 中的 {compress(c['numbers'])}号 "
                  f"已属于其他号段（{'、'.join(short_id(b) for b in c['other_blocks'])}），这些号未记入本号段，"
                  "请用 inspector numbers report 核对" for c in self.block_collisions]
        lines.append(f"合计：新增 {self.total('added')}，更新 {self.total('updated')}，冲突 {len(self.conflicts)}。")
        if self.backup:
            lines.append(f"合并前的备份：{self.backup}")
        if self.undo_seq:
            lines.append("如需撤销这次合并：inspector backup undo（或在“备份”窗口中选择“合并前”一行，点“恢复…”）。")
        return lines


def compress(numbers: list[int]) -> str:
    """[1, 2, 3, 7, 9, 10] -> "1-3、7、9-10"."""
    parts, start, previous = [], None, None
    for n in sorted(numbers):
        if start is None:
            start = previous = n
        elif n == previous + 1:
            previous = n
        else:
            parts.append(f"{start}-{previous}" if previous != start else str(start))
            start = previous = n
    if start is not None:
        parts.append(f"{start}-{previous}" if previous != start else str(start))
    return "、".join(parts)
