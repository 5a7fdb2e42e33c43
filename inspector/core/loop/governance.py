"""治理信息 of a hazard: what a 隐患排查治理台账 holds beyond the finding (临时管控措施, 治理方案 with its
funds, the responsible person's phone, 挂牌督办, 处罚/立案, 备注) — the 五落实 of a major hazard.

Plain text as entered, each at most :data:`MAX_CHARS` characters (the enterprise import's cell limit).
A major hazard that is still open must have its 临时管控措施 before its 治理方案 is recorded: the order
in which the 安全生产事故隐患排查治理暂行规定 expects them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from inspector.errors import UserError

if TYPE_CHECKING:
    from inspector.db.database import Database

MAX_CHARS = 500
FIELDS = {
    "interim_measures": "临时管控措施",
    "governance_plan": "治理方案",
    "governance_funds": "治理资金",
    "responsible_person": "整改责任人",
    "responsible_phone": "责任人联系电话",
    "supervision": "挂牌督办",
    "enforcement": "处罚/立案",
    "remarks": "备注",
}


@dataclass(frozen=True)
class Governance:
    interim_measures: str = ""
    governance_plan: str = ""
    governance_funds: str = ""
    responsible_person: str = ""
    responsible_phone: str = ""
    supervision: str = ""
    enforcement: str = ""
    remarks: str = ""


def load_governance(db: "Database", finding_id: str) -> Governance:
    from inspector.core.loop.hazards import live_hazard

    with db.session() as session:
        finding = live_hazard(session, finding_id)
        return Governance(**{name: getattr(finding, name) for name in FIELDS})


def update_governance(db: "Database", finding_id: str, **changes: str) -> bool:
    """Change the given fields (others stay); True when anything changed. Refuses unknown names,
    over-long or control-character text, and a plan for an open major hazard without interim measures."""
    from inspector.core.common.synced import set_fields
    from inspector.core.loop.hazards import live_hazard

    cleaned = {name: _clean(name, value) for name, value in changes.items()}
    with db.session() as session:
        finding = live_hazard(session, finding_id)
        merged = {**{name: getattr(finding, name) for name in FIELDS}, **cleaned}
        if finding.level == "major" and merged["governance_plan"] and not merged["interim_measures"]:
            raise UserError("重大事故隐患须先填写临时管控措施，再填写治理方案。")
        changed = set_fields(finding, cleaned)
        session.add(finding)
    return changed


def as_fields(governance: Governance) -> list[tuple[str, str]]:
    return [(FIELDS[name], value) for name, value in asdict(governance).items()]


def _clean(name: str, value: str) -> str:
    if name not in FIELDS:
        raise UserError(f"未知的治理信息字段：{name}。")
    text = str(value).strip()
    if len(text) > MAX_CHARS:
        raise UserError(f"{FIELDS[name]}过长（{len(text)} 字），最多 {MAX_CHARS} 字。")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        raise UserError(f"{FIELDS[name]}含有不可见的控制字符。")
    return text
