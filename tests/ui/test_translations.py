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


@pytest.mark.parametrize("ts", sorted(i18n.translations_dir().glob("*.ts")), ids=lambda p: p.name)
def test_compiled_catalogue_is_current(ts, tmp_path):
    fresh = tmp_path / "fresh.qm"
    i18n.lrelease(ts, fresh)
    assert fresh.read_bytes() == ts.with_suffix(".qm").read_bytes(), "run: python -m inspector.ui.i18n update"
