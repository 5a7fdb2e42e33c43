"""The inspection list's search keys (enterprise, pinyin initials, place, industry, status), Qt-free so that
the list's loader computes them on a worker thread: a worker must not import a module of ``inspector.ui``
(PySide6 creates its types lazily, and two threads creating them at once crashed the process)."""

from __future__ import annotations


def search_key(summary) -> str:
    status = "草稿 draft" if summary.status == "draft" else "已完成 completed"
    return f"{summary.enterprise} {_initials(summary)} {summary.place} {summary.industry} {status}"


def _initials(summary) -> str:
    """The enterprise's stored pinyin initials; computed only for a row that lacks them."""
    if summary.enterprise_initials:
        return summary.enterprise_initials
    from inspector.core.common.text_search import initials

    return initials(summary.enterprise)


def search_keys(summaries: list) -> list[str]:
    """The rows' lower-case search keys, as the model would compute them (run it in the worker). Equal keys
    (an enterprise's inspections at one place and status) are one string: 100,000 rows have ~18,000 keys."""
    shared: dict[str, str] = {}
    one = shared.setdefault
    keys = []
    for summary in summaries:
        key = search_key(summary).lower()
        keys.append(one(key, key))
    return keys
