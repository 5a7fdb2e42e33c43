"""Font resolution and lazy, once-only registration with ReportLab.

Each role (body, title, heading, page_number) uses the first configured system font
file that exists and loads as TrueType, else the bundled file from ``resources/fonts``.
Registration parses the whole font (about 100 ms per CJK font), so it happens on first use,
is cached for the life of the process, keyed by (file, subfont index), and its metrics are
kept across processes by ``font_cache.py`` (a few ms to load).  TTFont embeds a
subset of the glyphs actually used, so PDFs stay small and text stays extractable.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping
from xml.sax.saxutils import escape

from inspector.errors import UserError
from inspector.paths import resources_dir

from .config import FontRoleConfig, FontsConfig

log = logging.getLogger(__name__)

ROLES = ("body", "title", "heading", "page_number")

_lock = threading.Lock()
_registered: dict[tuple[str, int], "RegisteredFont | None"] = {}


@dataclass(frozen=True)
class RegisteredFont:
    """A font registered with ReportLab under ``name``."""

    name: str
    path: Path
    glyphs: Mapping[int, int]  # code point -> glyph id

    def has(self, char: str) -> bool:
        return ord(char) in self.glyphs


@dataclass(frozen=True)
class FontSet:
    body: RegisteredFont
    title: RegisteredFont
    heading: RegisteredFont
    page_number: RegisteredFont
    fallback: RegisteredFont
    title_fake_bold: bool

    def sources(self) -> dict[str, str]:
        """Role -> font file actually used (for an "about fonts" display)."""
        return {role: str(getattr(self, role).path) for role in (*ROLES, "fallback")}

    def markup(self, text: str, font: RegisteredFont | None = None) -> str:
        """Escape ``text`` for a Paragraph; wrap characters ``font`` lacks in the fallback font."""
        font = font or self.body
        out: list[str] = []
        run: list[str] = []
        run_fallback = False
        for char in text:
            use_fallback = not font.has(char) and not char.isspace() and self.fallback.has(char)
            if run and use_fallback != run_fallback:
                out.append(self._wrap(run, run_fallback))
                run = []
            run.append(char)
            run_fallback = use_fallback
        if run:
            out.append(self._wrap(run, run_fallback))
        return "".join(out)

    def _wrap(self, run: list[str], fallback: bool) -> str:
        text = escape("".join(run))
        return f'<font name="{self.fallback.name}">{text}</font>' if fallback else text


def bundled_fonts_dir() -> Path:
    return resources_dir() / "fonts"


def font_set(config: FontsConfig) -> FontSet:
    """Resolve and (once) register the fonts of every role."""
    fallback = _bundled(config.fallback)
    roles = {role: _resolve_role(role, getattr(config, role)) for role in ROLES}
    return FontSet(fallback=fallback, title_fake_bold=config.title.fake_bold, **roles)


def _resolve_role(role: str, cfg: FontRoleConfig) -> RegisteredFont:
    for candidate in cfg.system:
        path = Path(os.path.expandvars(os.path.expanduser(candidate)))
        if path.is_file():
            font = register_font(path)
            if font is not None:
                return font
    return _bundled(cfg.bundled)


def _bundled(file_name: str) -> RegisteredFont:
    path = bundled_fonts_dir() / file_name
    if not path.is_file():
        raise UserError(f"随附字体文件缺失：{path}，请重新安装程序。")
    font = register_font(path)
    if font is None:
        raise UserError(f"随附字体文件 {path} 无法使用（须为 TrueType 字体），请重新安装程序。")
    return font


def register_font(path: Path, subfont_index: int = 0) -> RegisteredFont | None:
    """Register ``path`` once per process; None if ReportLab cannot embed it."""
    key = (str(path.resolve()), subfont_index)
    with _lock:
        if key not in _registered:
            _registered[key] = _load(path, subfont_index)
        return _registered[key]


def _load(path: Path, subfont_index: int) -> RegisteredFont | None:
    from reportlab.pdfbase import pdfmetrics

    from .font_cache import load_ttfont

    digest = hashlib.sha1(f"{path.resolve()}#{subfont_index}".encode()).hexdigest()[:8]
    name = f"Insp-{path.stem}-{digest}"
    try:
        font = load_ttfont(name, str(path), subfont_index)
    except Exception as exc:  # TTFError, OSError, struct errors on damaged files
        log.warning("font %s not usable (%s); falling back", path, exc)
        return None
    pdfmetrics.registerFont(font)
    return RegisteredFont(name=name, path=path, glyphs=font.face.charToGlyph)
