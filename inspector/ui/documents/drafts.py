"""The background work of a draft window: render the draft, list what is issued, check, issue.

A draft comes from an inspection (整改指令书, 整改通知书, 现场检查记录) or from a completed
re-inspection (整改复查意见书). These functions run in :class:`inspector.ui.tasks.TaskRunner`
tasks, off the GUI thread; they import the core lazily so window start-up stays fast.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

INSPECTION, REINSPECTION = "inspection", "reinspection"
# render_document() sets ReportLab's module-level knobs for each build and is not thread-safe; the
# task runner has two threads, so two windows (or a quick change of kind) could render at once.
RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class DraftSource:
    """What a draft is made from: ``what`` is INSPECTION or REINSPECTION, ``id`` its row id."""

    what: str
    id: str

    @property
    def ids(self) -> dict:
        """``inspection_id=`` or ``reinspection_id=`` keyword arguments for the core."""
        return {"inspection_id": self.id} if self.what == INSPECTION else {"reinspection_id": self.id}


@dataclass(frozen=True)
class IssuedRow:
    """A document already issued for the source (any status), for the window to list."""

    id: str
    kind: str
    number_text: str
    status: str

    @property
    def live(self) -> bool:
        return self.status == "issued"

    def text(self) -> str:
        from inspector.core.documents.notices import STATUS_NAMES
        from inspector.core.documents.numbering import KIND_NAMES

        return f"{KIND_NAMES.get(self.kind, self.kind)} {self.number_text}（{STATUS_NAMES.get(self.status, self.status)}）"


def issued_for(db, source: DraftSource) -> list[IssuedRow]:
    from inspector.core.documents.notices import find_notices

    return [IssuedRow(n.id, n.kind, n.number_text, n.status) for n in find_notices(db, **source.ids)]


def document_data(db, source: DraftSource, kind: str, config, issued_on=None):
    """(data, enterprise id, finding ids) of the unnumbered document as the database is now, dated
    ``issued_on`` (None: today)."""
    if source.what == INSPECTION:
        from inspector.core.documents.notice_data import inspection_document

        document = inspection_document(db, source.id, kind, config, issued_on=issued_on)
    else:
        from inspector.core.documents.review_data import review_document

        document = review_document(db, source.id, issued_on=issued_on)
    return document.data, document.enterprise_id, document.finding_ids, tuple(getattr(document, "hints", ()))


def render_draft(db, source: DraftSource, kind: str, config, tag=None,
                 issued_on=None) -> tuple[bytes, list[IssuedRow], object, tuple]:
    """The draft's PDF, what is already issued, ``tag`` unchanged (which request this was), and the hints
    for the inspector (companion documents this one needs, facts chosen from alternatives)."""
    from inspector.core.documents import render_document

    data, _enterprise, _findings, hints = document_data(db, source, kind, config, issued_on)
    with RENDER_LOCK:
        pdf = render_document(data, config)
    return pdf, issued_for(db, source), tag, hints


@dataclass(frozen=True)
class Checked:
    """What 签发 found before asking anything: the live document of this kind (or None), every
    problem that would refuse the issue (Chinese sentences), and whether numbering is one of them."""

    live: object
    problems: tuple[str, ...]
    numbering: bool
    issued: tuple[IssuedRow, ...]


def preflight(db, source: DraftSource, kind: str, config, issued_on=None, backdate_reason: str = "") -> Checked:
    """At click time, before any question: what is issued, the document's own problems (its date among
    them: a date before today needs ``backdate_reason``), a free number."""
    from inspector.core.documents.issue_dates import date_problems
    from inspector.core.documents.notice_checks import problems_from_database
    from inspector.core.documents.notices import issue_preflight

    from inspector.core.common.clock import local_today
    from inspector.core.documents.notices import inspection_date_in

    data, _enterprise, finding_ids, _hints = document_data(db, source, kind, config, issued_on)
    with db.session() as session:
        problems = problems_from_database(session, data, inspection_id=source.ids.get("inspection_id"),
                                          finding_ids=finding_ids)
        problems += date_problems(data, today=local_today(), backdate_reason=backdate_reason,
                                  inspection_date=inspection_date_in(session, data, source.ids.get("inspection_id")))
    check = issue_preflight(db, kind, config=config, issued_on=data.issued_on, **source.ids)
    problems += [check.numbering] if check.numbering else []
    return Checked(check.live, tuple(problems), bool(check.numbering), tuple(issued_for(db, source)))


def issue(db, source: DraftSource, kind: str, config, supersedes_id: str | None = None, reason: str = "",
          issued_on=None, backdate_reason: str = ""):
    """Number, render and store the document (a correction when ``supersedes_id`` is given), dated
    ``issued_on`` (None: today; an earlier date is a backdate and needs ``backdate_reason``)."""
    from inspector.core.documents.notices import issue_document

    data, enterprise_id, finding_ids, _hints = document_data(db, source, kind, config, issued_on)
    with RENDER_LOCK:  # issuing renders the numbered document
        return issue_document(db, kind=kind, data=data, enterprise_id=enterprise_id, finding_ids=finding_ids,
                              config=config, supersedes_id=supersedes_id, correction_reason=reason,
                              backdate_reason=backdate_reason, **source.ids)
