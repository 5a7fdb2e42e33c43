"""The font metrics cache returns exactly what ReportLab parses, and never trusts a bad entry."""

from __future__ import annotations

from reportlab.pdfbase.ttfonts import TTFontFace

from inspector.core.documents import font_cache
from inspector.core.documents.fonts import bundled_fonts_dir

FONT = str(bundled_fonts_dir() / "wqy-microhei.ttc")


def _metrics(face) -> dict:
    return {key: value for key, value in face.__dict__.items() if key != "_pdfScale"}


def test_cached_face_equals_parsed_face(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(tmp_path))
    parsed = TTFontFace(FONT)
    cached_class = font_cache.cached_face_class()
    first = cached_class(FONT)  # parses and writes the entry
    assert len(list((tmp_path / "fonts").iterdir())) == 1
    second = cached_class(FONT)  # loads the entry
    assert _metrics(first) == _metrics(parsed) == _metrics(second)
    assert second.name.ustr == parsed.name.ustr
    assert second._pdfScale(1234) == parsed._pdfScale(1234)


def test_damaged_entry_falls_back_to_parsing(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(tmp_path))
    font_cache.cached_face_class()(FONT)
    (entry,) = (tmp_path / "fonts").iterdir()
    entry.write_bytes(b"\x00not marshal")
    face = font_cache.cached_face_class()(FONT)
    assert _metrics(face) == _metrics(TTFontFace(FONT))


def test_unwritable_cache_folder_still_loads(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(blocker))  # a file where the folder should be
    font = font_cache.load_ttfont("Test-wqy", FONT)
    assert font.face.charToGlyph == TTFontFace(FONT).charToGlyph


def test_subset_through_the_glyf_window_is_byte_identical(tmp_path, monkeypatch):
    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(tmp_path))
    subset = [0, 32] + [ord(ch) for ch in "兴国经开区安全生产检查（一）：2026年"]
    assert font_cache.cached_face_class()(FONT).makeSubset(subset) == TTFontFace(FONT).makeSubset(subset)


def test_table_window_slices_like_bytes():
    data = bytes(range(200))
    window = font_cache.TableWindow(data, 50, 100)
    assert len(window) == 100
    for first, last in ((0, 10), (95, 120), (30, 30), (40, 20), (None, 5), (90, None)):
        assert window[first:last] == data[50:150][first:last]
