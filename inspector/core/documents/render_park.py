"""Family B story: the park committee's 安全隐患整改通知书 (regulations §1.5; no appeal clauses)."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from .blocks import SealBlock, SignatureRow, footnote, signature_table
from .layout import LEADING
from .render_common import (
    Ctx, addressee, appendix, attachment_note, bare, deadline_text, hazard_head, hazard_photo_cells,
    heading_park, keep_with_closing, officer_rows, requirement_text,
)
from .text import format_date, join_numbers, or_blank


def park_story(ctx: Ctx) -> list[Flowable]:
    data, cfg = ctx.data, ctx.config
    park = cfg.park
    we = park.self_reference
    inspected_on = format_date(data.started_at or data.issued_on)
    story: list[Flowable] = heading_park(ctx)
    story += [
        addressee(ctx),
        ctx.para(ctx.m(f"{inspected_on}，{we}对你单位开展了安全生产检查，发现存在以下安全隐患：")),
    ]
    for hazard in data.hazards:
        story.extend((
            ctx.para(hazard_head(ctx, hazard, basis_style="bracket")),
            ctx.para(ctx.m(requirement_text(hazard) + deadline_text(hazard, "整改期限"))),
        ))
    accident = [h.no for h in data.major_hazards if not h.is_fire]
    fire = [h.no for h in data.major_hazards if h.is_fire]
    if accident or fire:
        # Suggested wording (not from an official template, to verify): the committee
        # cannot order a shutdown, so it asks for interim controls.
        kinds = [f"第{join_numbers(accident)}项属于重大事故隐患"] if accident else []
        kinds += [f"第{join_numbers(fire)}项可能属于重大火灾隐患"] if fire else []
        story.append(ctx.para(
            f"其中{'，'.join(kinds)}，请立即落实临时管控措施，"
            "必要时停止使用相关设施设备、撤出作业人员，确保安全。"
        ))
    story += [
        ctx.para(ctx.m(
            "请你单位高度重视，按照“责任、措施、资金、时限、预案”五落实要求，于限期内完成整改，"
            f"整改期间落实临时管控措施，确保安全。整改完成后，请于期限届满前将整改情况报告（附整改前后对比照片）"
            f"书面报送{we}，{we}将进行复查。"
        )),
        ctx.para(ctx.m(f"逾期未整改或整改不到位的，将提请{bare(park.escalation_body)}依法处理。")),
    ]
    cells = hazard_photo_cells(ctx)
    if cells:
        story.append(attachment_note(ctx, cfg.labels.photo_appendix, len(cells)))
    rows = officer_rows(ctx, cfg.labels.park_inspector_signature, with_certificate=False)
    phone = or_blank(data.enterprise.contact_phone, 6)
    rows.append(SignatureRow(cfg.labels.park_enterprise_signature, ctx.m(f"联系电话：{phone}")))
    closing: list[Flowable] = [
        Spacer(1, LEADING / 2),
        signature_table(ctx.styles, rows),
        SealBlock(ctx.fonts.body.name, [park.committee, park.office + cfg.labels.park_seal],
                  format_date(data.issued_on)),
    ]
    if park.contact_phone:
        closing.append(ctx.para(ctx.m(f"（联系电话：{park.contact_phone}）"), "small"))
    closing += footnote(ctx.styles, "本通知书一式两份，一份由检查单位留存，一份交被检查单位。")
    keep_with_closing(story, closing, keep=4 if cells else 3, fixed=2 if cells else 1)
    return story + appendix(ctx, cfg.labels.photo_appendix, cells, cfg.layout.photos_per_row)
