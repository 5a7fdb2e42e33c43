"""Family A stories: 现场检查记录, 责令限期整改指令书, 整改复查意见书 (wording: regulations §1.1-1.3)."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from .blocks import SealBlock, SignatureRow, footnote, info_grid, ruled_lines, signature_table
from .layout import LEADING
from .render_common import (
    Ctx, addressee, appendix, attachment_note, bare, deadline_text, hazard_head, hazard_photo_cells,
    heading_enforcement, keep_with_closing, officer_rows, requirement_text, review_photo_cells, sentence,
)
from .text import format_date, format_datetime, join_numbers, or_blank


# --- 现场检查记录 --------------------------------------------------------------------------

def record_story(ctx: Ctx) -> list[Flowable]:
    data, cfg = ctx.data, ctx.config
    e = data.enterprise
    story: list[Flowable] = heading_enforcement(ctx)
    story += [
        info_grid(ctx.styles, ctx.fonts, [
            [("被检查单位", e.name)],
            [("统一社会信用代码", e.credit_code), ("联系电话", e.contact_phone)],
            [("地　　址", e.address)],
            [("法定代表人<br/>（负责人）", e.legal_representative), ("职　　务", e.representative_title)],
            [("检查场所", data.place)],
            [("检查时间", f"{format_datetime(data.started_at)}至{format_datetime(data.ended_at)}")],
        ]),
        Spacer(1, LEADING / 3),
        ctx.para(ctx.m(_introduction(ctx))),
        ctx.para("检查情况：" + ctx.m(sentence(data.notes) if data.notes.strip() else "")),
    ]
    if data.hazards:
        story.append(ctx.para("现场检查查见下列情况："))
        story.extend(ctx.para(ctx.m(recorded_fact(h))) for h in data.hazards)
    else:
        story.append(ctx.para("现场检查未发现事故隐患。"))
    cells = hazard_photo_cells(ctx)
    if cells:
        story.append(attachment_note(ctx, cfg.labels.photo_appendix, len(cells)))
    rows = officer_rows(ctx, cfg.labels.record_officer_signature)
    rows.append(SignatureRow(cfg.labels.record_enterprise_signature))
    rows.append(SignatureRow(cfg.labels.witness_signature, name=ctx.m(data.witness)))
    keep_with_closing(story, [
        Spacer(1, LEADING / 2),
        signature_table(ctx.styles, rows),
        ruled_lines(ctx.styles, ctx.m(cfg.labels.refusal_heading), ctx.m(data.refusal_note.strip())),
        SealBlock(ctx.fonts.body.name, [], format_date(data.issued_on), seal_space=LEADING / 2),
    ], keep=3 if cells else 2, fixed=1 if cells else 0)
    return story + appendix(ctx, cfg.labels.photo_appendix, cells, cfg.layout.photos_per_row)


def recorded_fact(hazard) -> str:
    """One fact of the record: place, what was seen, photos -- no order, no legal conclusion."""
    what = bare(hazard.description)
    text = f"{hazard.no}．{bare(hazard.location)}：{what}" if hazard.location.strip() else f"{hazard.no}．{what}"
    photos = f"（现场照片{len(hazard.photos)}张，见附件）" if hazard.photos else ""
    return sentence(text + photos) if photos else sentence(text)


def _introduction(ctx: Ctx) -> str:
    inspectors = ctx.data.inspectors
    names = "、".join(i.name for i in inspectors) or or_blank("", 8)
    certificates = "、".join(or_blank(i.certificate_no, 6) for i in inspectors) or or_blank("", 8)
    return (
        f"我们是{ctx.config.authority.name}的行政执法人员{names}，证件号码为{certificates}，"
        "这是我们的证件（出示证件）。现依法对你单位进行现场检查，请予以配合。"
    )


# --- 责令限期整改指令书 --------------------------------------------------------------------

def order_story(ctx: Ctx) -> list[Flowable]:
    data, cfg = ctx.data, ctx.config
    story: list[Flowable] = heading_enforcement(ctx)
    story += [addressee(ctx), ctx.para("经查，你单位存在下列问题：")]
    reference = measure_reference(ctx)
    for hazard in data.hazards:
        story.extend((
            ctx.para(hazard_head(ctx, hazard)),
            ctx.para(ctx.m(requirement_text(hazard, measure_reference=reference) + deadline_text(hazard))),
        ))
    major = len(data.major_hazards)
    if major:
        story.append(ctx.para(f"其中事故隐患{major}项属于重大隐患。"))
    numbers = join_numbers([h.no for h in data.hazards])
    story += [
        ctx.para(
            f"现责令你单位对上述第{numbers}项问题按上述各项规定的整改完成时限整改完毕，"
            "达到有关法律法规规章和标准规定的要求。由此造成事故的，依法追究有关人员的责任。"
        ),
        ctx.para("整改期间，你单位应当采取措施，确保安全生产。对安全生产违法行为，将依法予以行政处罚。"),
        ctx.para(ctx.m(appeal_sentence(ctx))),
    ]
    cells = hazard_photo_cells(ctx)
    if cells:
        story.append(attachment_note(ctx, cfg.labels.photo_appendix, len(cells)))
    rows = officer_rows(ctx, cfg.labels.officer_signature)
    rows.append(SignatureRow(cfg.labels.enterprise_signature))
    keep_with_closing(story, _closing(ctx, rows, "被检查单位"), keep=4 if cells else 3, fixed=2 if cells else 1)
    return story + appendix(ctx, cfg.labels.photo_appendix, cells, cfg.layout.photos_per_row)


def measure_reference(ctx: Ctx) -> str:
    """What an order prints for a hazard whose on-site measure a separate decision made."""
    reference = bare(ctx.config.measure.order_reference)
    return f"{reference}\u3014{ctx.data.related_number}\u3015" if ctx.data.related_number else reference


def appeal_sentence(ctx: Ctx, act: str = "指令") -> str:
    """如果不服本指令（本决定）…… with the configured 复议机关 and court (2023 复议法: 本级人民政府)."""
    a = ctx.config.appeal
    return (
        f"如果不服本{act}，可以依法在{a.reconsideration_days}日内向{a.reconsideration_body}申请行政复议，"
        f"或者在{a.litigation_period}内依法向{a.court}提起行政诉讼，但本{act}不停止执行，法律另有规定的除外。"
    )


# --- 整改复查意见书 ------------------------------------------------------------------------

def review_story(ctx: Ctx) -> list[Flowable]:
    data, cfg = ctx.data, ctx.config
    story: list[Flowable] = heading_enforcement(ctx)
    reviewed = data.reviewed_number or or_blank("", 10)
    story += [
        addressee(ctx),
        ctx.para(ctx.m(
            f"本机关于{format_date(data.reviewed_on)}作出了{cfg.title(data.reviewed_kind or 'order')}的决定"
            f"\u3014{reviewed}\u3015，经对你单位整改情况进行复查，提出如下意见："
        )),
    ]
    for review in data.review_items:
        hazard = data.hazard(review.hazard_no)
        was = "立即整改" if hazard.immediate else f"{format_date(hazard.deadline)}前"
        head = hazard_head(ctx, hazard) + ctx.m(f"（原整改完成时限：{was}）")
        story.extend((ctx.para(head), ctx.para(ctx.m(f"复查意见：{sentence(review.result)}"))))
    cells = review_photo_cells(ctx)
    if cells:
        story.append(attachment_note(ctx, cfg.labels.review_photo_appendix, len(cells) // 2, "组"))
    rows = [SignatureRow(cfg.labels.review_enterprise_signature)]
    rows += officer_rows(ctx, cfg.labels.officer_signature)
    keep_with_closing(story, _closing(ctx, rows, "被复查单位"), keep=3 if cells else 2, fixed=1 if cells else 0)
    return story + appendix(ctx, cfg.labels.review_photo_appendix, cells, 2)


# --- shared closing ---------------------------------------------------------------------

def closing_block(ctx: Ctx, rows: list[SignatureRow], recipient: str) -> list[Flowable]:
    return _closing(ctx, rows, recipient)


def _closing(ctx: Ctx, rows: list[SignatureRow], recipient: str) -> list[Flowable]:
    cfg = ctx.config
    seal_line = cfg.authority.name + cfg.labels.seal
    parts: list[Flowable] = [
        Spacer(1, LEADING / 2),
        signature_table(ctx.styles, rows),
        SealBlock(ctx.fonts.body.name, [seal_line], format_date(ctx.data.issued_on)),
    ]
    if cfg.authority.contact_phone:
        parts.append(ctx.para(ctx.m(f"（联系电话：{cfg.authority.contact_phone}）"), "small"))
    department = bare(cfg.authority.department_label)
    parts += footnote(ctx.styles, ctx.m(f"本文书一式两份：一份由{department}备案，一份交{recipient}。"))
    return parts


__all__ = ["record_story", "order_story", "review_story", "appeal_sentence", "closing_block", "recorded_fact"]
