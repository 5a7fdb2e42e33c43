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


def _english_texts(dialog) -> set[str]:
    """Every visible word of English in ``dialog``: title, labels, buttons, tips, group titles."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget

    word = re.compile(r"(?<![\w.*/])[A-Za-z]{3,}")
    found = {dialog.windowTitle()}
    for child in dialog.findChildren(QWidget):
        found.add(child.toolTip())
        if isinstance(child, (QLabel, QAbstractButton)):
            found.add(child.text())
        if isinstance(child, QGroupBox):
            found.add(child.title())
    return {text for text in found if text and word.search(text.replace("&", "").replace("PDF", ""))}


def _printers_own_words() -> set[str]:
    """What the print dialog shows of the printers themselves (a CUPS queue's name, its driver's model
    "Generic CUPS-PDF Printer (w/ options)", its location): data, not words to translate. The printing
    test, running beside this one, installs such a queue."""
    from PySide6.QtPrintSupport import QPrinterInfo

    return {text for info in QPrinterInfo.availablePrinters()
            for text in (info.printerName(), info.description(), info.makeAndModel(), info.location())}


def test_qt_own_file_and_print_dialogs_speak_chinese(qapp, tmp_path):
    """Qt 6.12's catalogue lacks some of its own dialogs' labels (the file dialog's "&Look in:" and
    "Files of &type:", the print dialog's "Page &Set:"): the app's catalogue fills them."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    from PySide6.QtWidgets import QFileDialog

    from inspector.ui.application import create_application

    create_application()
    seen = {}
    for mode in (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.AcceptMode.AcceptSave):
        files = QFileDialog(None, "照片", str(tmp_path), "图片 (*.jpg *.jpeg)")
        files.setOption(QFileDialog.Option.DontUseNativeDialog)
        files.setAcceptMode(mode)
        files.show()
        seen[mode.name] = _english_texts(files)
        files.close()
    printer = QPrinter()
    printing = QPrintDialog(printer)
    printing.show()
    seen["print"] = _english_texts(printing) - _printers_own_words()
    printing.close()
    assert seen == {"AcceptOpen": set(), "AcceptSave": set(), "print": set()}
