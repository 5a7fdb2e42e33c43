"""Inspectors (检查人员): add, edit, deactivate, list; the last team is remembered in the settings."""

from __future__ import annotations

from sqlmodel import col, select

from inspector.core.common.synced import set_fields
from inspector.db.database import Database
from inspector.db.models import Inspector
from inspector.errors import NotFoundError, UserError

SETTINGS_KEY = "last_inspector_ids"
MAX_NAME = 50
MAX_CERTIFICATE = 50


def add_inspector(db: Database, *, name: str, certificate_no: str = "") -> Inspector:
    name, certificate_no = _clean(name, certificate_no)
    with db.session() as session:
        if certificate_no and session.exec(_active().where(Inspector.certificate_no == certificate_no)).first():
            raise UserError(f"执法证号 {certificate_no} 已经登记过。")
        inspector = Inspector(name=name, certificate_no=certificate_no, device_id=db.device_id)
        session.add(inspector)
    return inspector


def update_inspector(db: Database, inspector_id: str, *, name: str, certificate_no: str = "") -> Inspector:
    name, certificate_no = _clean(name, certificate_no)
    with db.session() as session:
        inspector = _get(session, inspector_id)
        if set_fields(inspector, {"name": name, "certificate_no": certificate_no}):
            session.add(inspector)
    return inspector


def set_inspector_active(db: Database, inspector_id: str, *, active: bool) -> None:
    """Inactive inspectors keep their past inspections but are no longer offered for new ones."""
    with db.session() as session:
        inspector = _get(session, inspector_id)
        if set_fields(inspector, {"active": active}):
            session.add(inspector)


def list_inspectors(db: Database, *, include_inactive: bool = False) -> list[Inspector]:
    statement = select(Inspector).where(col(Inspector.deleted_at).is_(None))
    if not include_inactive:
        statement = statement.where(col(Inspector.active).is_(True))
    with db.session() as session:
        return list(session.exec(statement.order_by(Inspector.name)).all())


def last_inspector_ids(settings, db: Database) -> list[str]:
    """The team of the previous inspection, without anyone since deactivated."""
    remembered = settings.get(SETTINGS_KEY) or []
    active = {inspector.id for inspector in list_inspectors(db)}
    return [inspector_id for inspector_id in remembered if inspector_id in active]


def remember_inspectors(settings, inspector_ids: list[str]) -> None:
    settings.set(SETTINGS_KEY, list(inspector_ids))


def _clean(name: str, certificate_no: str) -> tuple[str, str]:
    name = " ".join((name or "").split())
    certificate_no = "".join((certificate_no or "").split())
    if not name:
        raise UserError("检查人员姓名不能为空。")
    if len(name) > MAX_NAME:
        raise UserError(f"检查人员姓名过长（上限 {MAX_NAME} 字）。")
    if len(certificate_no) > MAX_CERTIFICATE:
        raise UserError(f"执法证号过长（上限 {MAX_CERTIFICATE} 字）。")
    return name, certificate_no


def _active():
    return select(Inspector).where(col(Inspector.deleted_at).is_(None))


def _get(session, inspector_id: str) -> Inspector:
    inspector = session.get(Inspector, inspector_id)
    if inspector is None or inspector.deleted_at is not None:
        raise NotFoundError(f"找不到检查人员（编号 {inspector_id}）。")
    return inspector
