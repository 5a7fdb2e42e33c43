"""Entry point: DocumentData (+ DocumentConfig) -> PDF bytes."""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from typing import Callable, Iterator

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from .config import DocumentConfig, load_config
from .fonts import font_set
from .layout import PageDecor, PdfMeta, build_pdf, make_styles
from .model import DocumentData, DocumentKind
from .payload import payload_text
from .render_common import Ctx
from .render_enforcement import order_story, record_story, review_story
from .render_measure import measure_story, referral_story
from .render_park import park_story

_BUILDERS: dict[DocumentKind, Callable[[Ctx], list[Flowable]]] = {
    DocumentKind.RECORD: record_story,
    DocumentKind.ORDER: order_story,
    DocumentKind.REVIEW: review_story,
    DocumentKind.PARK: park_story,
    DocumentKind.MEASURE: measure_story,
    DocumentKind.REFERRAL: referral_story,
}


@lru_cache(maxsize=1)
def default_config() -> DocumentConfig:
    """The bundled configuration, read once per process."""
    return load_config()


def render_document(data: DocumentData, config: DocumentConfig | None = None) -> bytes:
    """Render ``data`` as a PDF (A4, embedded subset fonts, binary image streams)."""
    return render_pdf(data, config)


def render_pdf(data: DocumentData, config: DocumentConfig | None = None, *, ascii85: bool = False) -> bytes:
    """As :func:`render_document`; ``ascii85=True`` is ReportLab's slow default (benchmarks only)."""
    config = config or default_config()
    data.validate()
    fonts = font_set(config.fonts)
    ctx = Ctx(data=data, config=config, fonts=fonts, styles=make_styles(fonts))
    story = _BUILDERS[data.kind](ctx)
    payload = data.seal or payload_text(data)
    decor = PageDecor(
        fonts=fonts,
        page_numbers=config.layout.page_numbers_park if data.kind is DocumentKind.PARK
        else config.layout.page_numbers_enforcement,
        qr_text=payload if config.layout.qr_code else None,
        qr_size=config.layout.qr_size_mm * mm,
        qr_caption=config.labels.verify_caption,
        watermark="草稿" if data.is_draft else None,
        appendix_header=f"{ctx.number_text}\u3000附件",
    )
    title = config.title(data.kind)
    meta = PdfMeta(
        title=f"{title} {ctx.number_text}", author=config.issuer(data.kind),
        subject=f"{title}：{data.enterprise.name}", payload=payload,
        issued_on=data.issued_on,
    )
    with _reportlab_settings(ascii85=ascii85):
        return build_pdf(story, decor, meta)


@contextmanager
def _reportlab_settings(*, ascii85: bool) -> Iterator[None]:
    """Set ReportLab's module-level knobs for one build and restore them afterwards.

    * ``useA85 = 0``: binary image/font streams (valid PDF, ~40x faster with photos).
    * Chinese line breaking (``linebreak.py``): no closing mark at a line start, no
      opening mark at a line end.
    Not thread-safe: render one document at a time per process.
    """
    from reportlab import rl_config

    from .linebreak import installed

    saved = rl_config.useA85
    rl_config.useA85 = 1 if ascii85 else 0
    try:
        with installed():
            yield
    finally:
        rl_config.useA85 = saved
