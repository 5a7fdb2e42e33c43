"""Family A stories for 现场处理措施决定书 and 移送书.

现场处理措施决定书 (regulations §1.4): "本机关于…在对你单位进行现场检查时，发现……依据……，
现作出如下现场处理决定：……", its own remedy sentence ("如果不服本决定"), officers with 证号,
the enterprise's signature, seal and date. Only hazards with an on-site measure are listed.

移送书: the fire-law findings an emergency-management authority may not order on, handed to the
fire and rescue authority under the configured basis (《安全生产法》 on 移送, to verify).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from .blocks import SealBlock, SignatureRow, footnote, signature_table
from .layout import LEADING
from .render_common import (
    Ctx, addressee, appendix, attachment_note, bare, hazard_head, hazard_photo_cells, heading_enforcement,
    keep_with_closing, officer_rows, sentence,
)
from .render_enforcement import appeal_sentence, closing_block
from .text import format_date, join_numbers


def _inspected_on(ctx: Ctx) -> str:
    return format_date(ctx.data.started_at or ctx.data.issued_on)


def measure_story(ctx: Ctx) -> list[Flowable]:
    data, cfg = ctx.data, ctx.config
    listed = tuple(h for h in data.hazards if h.measure.strip())
    story: list[Flowable] = heading_enforcement(ctx)
    story += [
        addressee(ctx),
        ctx.para(ctx.m(f"本机关于{_inspected_on(ctx)}在对你单位进行现场检查时，发现下列事故隐患：")),
    ]
    story.extend(ctx.para(hazard_head(ctx, h)) for h in listed)
    story.append(ctx.para(ctx.m(f"依据{bare(cfg.measure.legal_basis)}的规定，现作出如下现场处理决定：")))
    story.extend(ctx.para(ctx.m(f"{n}．对第{h.no}项：{sentence(h.measure)}")) for n, h in enumerate(listed, start=1))
    story.append(ctx.para(
        "上述现场处理措施自本决定送达之日起执行。事故隐患排除后，经本机关审查同意，方可恢复生产经营和使用。"
    ))
    if data.related_number:
        story.append(ctx.para(ctx.m(
            f"第{join_numbers([h.no for h in listed])}项事故隐患的整改要求及期限，"
            f"见本机关{cfg.title('order')}\u3014{data.related_number}\u3015。"
        )))
    story.append(ctx.para(ctx.m(appeal_sentence(ctx, "决定"))))
    cells = hazard_photo_cells(ctx, listed)
    if cells:
        story.append(attachment_note(ctx, cfg.labels.photo_appendix, len(cells)))
    rows = officer_rows(ctx, cfg.labels.officer_signature)
    rows.append(SignatureRow(cfg.labels.enterprise_signature))
    keep_with_closing(story, closing_block(ctx, rows, "被检查单位"), keep=4 if cells else 3, fixed=2 if cells else 1)
    return story + appendix(ctx, cfg.labels.photo_appendix, cells, cfg.layout.photos_per_row)


def referral_story(ctx: Ctx) -> list[Flowable]:
    data, cfg = ctx.data, ctx.config
    matter = cfg.competence.fire.name
    recipient = data.recipient or cfg.referral.recipient
    e = data.enterprise
    where = f"（地址：{bare(e.address)}）" if e.address.strip() else ""
    story: list[Flowable] = heading_enforcement(ctx)
    story += [
        ctx.para(ctx.m(recipient) + "：", "flush"),
        ctx.para(ctx.m(
            f"本机关于{_inspected_on(ctx)}对{e.name}{where}进行安全生产现场检查时，发现下列属于{matter}方面的问题，"
            f"不属于本机关的职责范围。依据{bare(cfg.referral.legal_basis)}的规定，现移送你单位依法处理，"
            "并请将处理结果告知本机关："
        )),
    ]
    story.extend(ctx.para(hazard_head(ctx, h)) for h in data.hazards)
    majors = [h.no for h in data.major_hazards]
    if majors:
        story.append(ctx.para(ctx.m(
            f"其中第{join_numbers(majors)}项经初步判断可能属于重大火灾隐患，请依照 GB 35181 认定。"
        )))
    cells = hazard_photo_cells(ctx)
    if cells:
        story.append(attachment_note(ctx, cfg.labels.photo_appendix, len(cells)))
    rows = officer_rows(ctx, cfg.labels.officer_signature)
    seal_line = cfg.authority.name + cfg.labels.seal
    closing: list[Flowable] = [
        Spacer(1, LEADING / 2),
        signature_table(ctx.styles, rows),
        SealBlock(ctx.fonts.body.name, [seal_line], format_date(data.issued_on)),
    ]
    department = bare(cfg.authority.department_label)
    closing += footnote(ctx.styles, ctx.m(f"本文书一式三份：一份由{department}备案，一份送{recipient}，一份交被检查单位。"))
    keep_with_closing(story, closing, keep=3 if cells else 2, fixed=1 if cells else 0)
    return story + appendix(ctx, cfg.labels.photo_appendix, cells, cfg.layout.photos_per_row)


__all__ = ["measure_story", "referral_story"]
