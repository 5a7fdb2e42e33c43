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


def test_entries_of_font_files_no_longer_seen_do_not_pile_up(tmp_path, monkeypatch):
    """Every upgrade gives the bundled fonts a new modification time, so a new key: the folder keeps the
    newest ``KEEP_ENTRIES`` entries (2 MB each), the one just written among them, and leaves other files alone."""
    import os

    monkeypatch.setenv("INSPECTOR_CACHE_DIR", str(tmp_path))
    folder = tmp_path / "fonts"
    folder.mkdir()
    old = [folder / f"{n:032x}.marshal" for n in range(font_cache.KEEP_ENTRIES + 4)]
    for age, entry in enumerate(old, start=1):  # old[0] the newest, each next a day older
        entry.write_bytes(b"stale")
        os.utime(entry, (entry.stat().st_atime, entry.stat().st_mtime - age * 86400))
    (folder / "notes.txt").write_text("not ours")
    font_cache.cached_face_class()(FONT)  # parses and writes a new entry
    left = {p.name for p in folder.iterdir()}
    assert len(left) == font_cache.KEEP_ENTRIES + 1 and "notes.txt" in left
    assert {p.name for p in old[:font_cache.KEEP_ENTRIES - 1]} <= left  # the newest of the old ones stay
    assert not {p.name for p in old[font_cache.KEEP_ENTRIES - 1:]} & left
