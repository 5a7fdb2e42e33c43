"""Every UI string has a zh_CN translation, and the compiled catalogues are up to date."""

from __future__ import annotations

import pytest

from inspector.ui import i18n


@pytest.mark.parametrize("module", i18n.ui_modules(), ids=lambda p: p.name)
def test_every_string_is_translated(module, tmp_path):
    extracted = tmp_path / "extracted.ts"
    i18n.lupdate(module, extracted)
    sources = {(context, source) for context, source, _, _ in i18n.messages(extracted)}
    if not sources:
        return
    committed = i18n.ts_path(module)
    assert committed.exists(), f"run: python -m inspector.ui.i18n update ({committed.name} missing)"
    translated = {(context, source) for context, source, _, done in i18n.messages(committed) if done}
    assert sources - translated == set()


def test_compiled_catalogue_is_current(tmp_path):
    """The app loads one catalogue compiled from every module's .ts (and nothing else)."""
    fresh = tmp_path / "fresh.qm"
    i18n.lrelease(i18n.catalogue_sources(), fresh)
    assert fresh.read_bytes() == i18n.catalogue_path().read_bytes(), "run: python -m inspector.ui.i18n update"
    assert [qm.name for qm in i18n.translations_dir().glob("*.qm")] == [i18n.CATALOGUE]


def test_a_message_in_two_modules_has_one_translation():
    """Two modules may share a context (notices_tab uses NoticesView's): the one catalogue keeps one
    translation of each message, so both modules must agree on it."""
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for ts in i18n.catalogue_sources():
        for context, source, text, done in i18n.messages(ts):
            if not done:
                continue
            first = seen.setdefault((context, source), (text, ts.name))
            assert first[0] == text, f"{context} {source!r}: {first[1]} says {first[0]!r}, {ts.name} says {text!r}"


def test_the_catalogue_translates_the_window_and_qt_dialogs(qapp):
    """zh_CN by default: the app's own strings and Qt's (a message box's standard buttons)."""
    from PySide6.QtCore import QCoreApplication

    from inspector.ui.application import create_application

    create_application()
    assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"
    assert QCoreApplication.translate("SyncController", "&Sync") != "&Sync"
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
