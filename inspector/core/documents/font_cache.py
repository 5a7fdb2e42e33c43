"""A per-user cache of what ReportLab extracts from a TrueType font (metrics, cmap).

ReportLab's ``TTFontFile.extractInfo`` walks the whole cmap and hmtx in pure Python:
about 100 ms for each bundled CJK font (35,000 characters, 50,000 glyphs), paid by every
process that renders a document. The result is plain data (ints, floats, dicts, lists),
so it is kept with :mod:`marshal` (which builds data only, never objects or code) in the
user's cache folder, keyed by the font file's path, size and modification time, the
subfont index and the ReportLab version. Loading it takes a few milliseconds. Writing an entry removes all
but the newest ``KEEP_ENTRIES`` (an upgrade's font files have new modification times, so new keys).

The font file itself is still read by ReportLab (it embeds subsets from those bytes), so
a cache entry only ever replaces the metrics of the same, unchanged file. Any problem
with the cache (missing, damaged, unwritable folder) falls back to parsing the font.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import logging
import marshal
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = 1
MAX_CACHE_BYTES = 64 * 1024 * 1024
#: Entries kept in the folder, newest first: an upgrade gives the bundled fonts a new modification time (a new
#: key), and each stale entry is 1.4-2.1 MB. A font in use whose entry was pruned is parsed once more.
KEEP_ENTRIES = 16
#: The attributes ``extractInfo`` sets (ReportLab 4.x/5.x); names are TTFNameBytes.
_NAME_KEYS = ("name", "familyName", "styleName", "fullName", "uniqueFontID")
_DATA_KEYS = (
    "fontRevision", "unitsPerEm", "bbox", "ascent", "descent", "capHeight", "stemV", "italicAngle",
    "underlinePosition", "underlineThickness", "flags", "numGlyphs", "_full_font", "charToGlyph",
    "glyphToChar", "charWidths", "hmetrics", "defaultWidth", "glyphPos", "_pos",
)


def cache_dir() -> Path:
    """``INSPECTOR_CACHE_DIR`` if set, else the platform's per-user cache folder."""
    explicit = os.environ.get("INSPECTOR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("inspector", appauthor=False))


@functools.cache
def cached_face_class() -> type:
    """A ``TTFontFace`` subclass whose ``extractInfo`` goes through the cache."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    class CachedFace(TTFontFace):
        def extractInfo(self, charInfo: int = 1) -> None:  # noqa: N802,N803 (ReportLab API)
            entry = _entry_path(self.filename, getattr(self, "subfontNameX", b""), charInfo)
            info = _read(entry) if entry else None
            if info is not None:
                _apply(self, info)
                return
            super().extractInfo(charInfo)
            if entry:
                _write(entry, _collect(self))

        def get_table(self, tag: str) -> Any:
            """``glyf`` as a window on the font bytes: makeSubset slices out the few glyphs it embeds,
            and copying the whole table for that (15 MB in uming.ttc) cost 1.5 ms per subset."""
            if tag != "glyf":
                return super().get_table(tag)
            pos, length = self.get_table_pos(tag)
            return TableWindow(self._ttf_data, pos, length)

    return CachedFace


class TableWindow:
    """Read-only ``data[start:start + length]`` without copying it; slicing gives bytes."""

    def __init__(self, data: bytes, start: int, length: int):
        self._data, self._start, self._length = data, start, length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index: slice) -> bytes:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("TableWindow supports plain slices only")
        first, last, _ = index.indices(self._length)
        return self._data[self._start + first:self._start + max(first, last)]


def _entry_path(filename: str, subfont: bytes, char_info: int) -> Path | None:
    try:
        import reportlab

        path = Path(filename).resolve()
        stat = path.stat()
        key = f"{FORMAT}|{reportlab.Version}|{path}|{stat.st_size}|{stat.st_mtime_ns}|{subfont!r}|{char_info}"
        return cache_dir() / "fonts" / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.marshal"
    except (OSError, TypeError, ValueError):
        return None


def _collect(face: Any) -> dict[str, Any]:
    info = {key: getattr(face, key) for key in _DATA_KEYS}
    info.update({key: bytes(getattr(face, key)) for key in _NAME_KEYS})
    return info


def _apply(face: Any, info: dict[str, Any]) -> None:
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    for key in _DATA_KEYS:
        setattr(face, key, info[key])
    for key in _NAME_KEYS:
        setattr(face, key, TTFNameBytes(info[key]))
    units = face.unitsPerEm
    factor = 1000 / units
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x: x * factor)


def _read(entry: Path) -> dict[str, Any] | None:
    try:
        if not entry.is_file() or entry.stat().st_size > MAX_CACHE_BYTES:
            return None
        with entry.open("rb") as stream:
            info = marshal.loads(stream.read(MAX_CACHE_BYTES + 1))
    except (OSError, EOFError, ValueError, TypeError):
        log.warning("font cache %s unreadable; parsing the font", entry)
        return None
    if not isinstance(info, dict) or any(key not in info for key in _DATA_KEYS + _NAME_KEYS):
        return None
    if not all(isinstance(info[key], bytes) for key in _NAME_KEYS) or not isinstance(info["unitsPerEm"], int):
        return None
    return info


def _write(entry: Path, info: dict[str, Any]) -> None:
    from inspector.core.common.atomic_file import write_atomically

    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(entry, marshal.dumps(info), force=True)
    except (OSError, ValueError) as exc:
        log.info("font cache not written (%s)", exc)
        return
    _prune(entry.parent)


def _prune(folder: Path) -> None:
    """Remove all but the newest ``KEEP_ENTRIES`` entries (by modification time); other files are not ours."""
    try:
        entries = sorted(((p.stat().st_mtime_ns, p) for p in folder.glob("*.marshal")), reverse=True)
        for _, stale in entries[KEEP_ENTRIES:]:
            stale.unlink(missing_ok=True)
    except OSError as exc:  # another process pruned meanwhile, or the folder is read-only: next time
        log.info("font cache not pruned (%s)", exc)


def load_ttfont(name: str, filename: str, subfont_index: int = 0) -> Any:
    """``TTFont(name, filename, subfontIndex=...)`` with its face's metrics from the cache.

    ReportLab's TTFont builds its face from the module-level ``TTFontFace``; it is swapped
    for the caching subclass during the call (which behaves the same for any caller that
    constructs a font meanwhile) and restored afterwards.
    """
    from reportlab.pdfbase import ttfonts

    saved, collecting = ttfonts.TTFontFace, gc.isenabled()
    ttfonts.TTFontFace = cached_face_class()
    gc.disable()  # 100,000 small containers: collections triggered meanwhile would scan the whole heap
    try:
        return ttfonts.TTFont(name, filename, subfontIndex=subfont_index)
    finally:
        ttfonts.TTFontFace = saved
        if collecting:
            gc.enable()
