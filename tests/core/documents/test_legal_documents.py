"""Issue 12: documents a legal office signs without edits -- checked on the RENDERED PDFs (pdfplumber).

The right instrument (现场处理措施决定书, 移送书), competence (fire matters), the record date
everywhere, facts instead of checklist alternatives, a record without orders, and typography.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pdfplumber
import pytest
from sqlmodel import select

from inspector.core.common.clock import local, local_today
from inspector.core.documents import load_config, notices
from inspector.core.documents.notice_data import inspection_document
from inspector.core.documents.review_data import issue_review
from inspector.db.models import Finding, Inspection, Photo
from inspector.errors import UserError
from tests.loop_helpers import add_number_blocks, make_site

KINDS = ("order", "park", "record", "review", "measure", "referral")
FIRE_BASIS = "《中华人民共和国消防法》第二十八条"
FIRE_CLAUSE = "GB 35181—2017《重大火灾隐患判定方法》第6.1条"
DUST = {
    "description": "铝镁等金属粉尘除尘系统采用正压除尘方式（或其他可燃性粉尘除尘系统正压吹送粉尘时未采取火花探测消除等防范点燃源措施）",
    "location": "抛光车间", "level": "major", "basis": "判定标准第十一条（四）",
    "major_clause": "《工贸企业重大事故隐患判定标准》第十一条（四）",
    "requirement": "停止使用该除尘系统，铝镁等金属粉尘除尘系统改为负压除尘方式，经复查合格后方可恢复生产。",
}
EXIT = {
    "description": "员工宿舍采用芯材燃烧性能低于A级的彩钢夹芯板搭建", "location": "员工宿舍", "level": "major",
    "basis": FIRE_BASIS, "major_clause": FIRE_CLAUSE, "requirement": "拆除彩钢夹芯板宿舍。",
}
CLEAN = {
    "description": "粉尘清扫未做记录", "location": "抛光车间", "level": "general",
    "basis": "《工贸企业粉尘防爆安全规定》第十九条", "major_clause": "", "requirement": "如实记录每次清扫情况。",
}


# --- helpers ------------------------------------------------------------------------------------

def pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text() or "" for page in doc.pages]


def flat(pdf: bytes) -> str:
    """The text of all pages, without white space and without the page numbers between them."""
    return re.sub(r"—\d+—", "", "".join("".join(p.split()) for p in pages(pdf)))


def day_text(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def build_site(db, findings: list[dict], *, days_ago: int = 3, deadline_days: int = 10):
    """An inspection ``days_ago`` days back whose hazards are ``findings`` (deadlines after today)."""
    site = make_site(db, hazards=len(findings), levels=("general",), found_days_ago=days_ago)
    with db.session() as session:
        found = session.get(Inspection, site.inspection_id).started_at
        for photo in session.exec(select(Photo).where(Photo.finding_id.in_(site.finding_ids))).all():
            photo.captured_at = found + timedelta(minutes=5)  # as the camera's EXIF says
            session.add(photo)
        for finding_id, values in zip(site.finding_ids, findings):
            finding = session.get(Finding, finding_id)
            for key, value in values.items():
                setattr(finding, key, value)
            finding.deadline = values.get("deadline", local_today() + timedelta(days=deadline_days))
            session.add(finding)
    year = local_today().year
    for y in {year, (local_today() - timedelta(days=days_ago)).year}:
        try:
            add_number_blocks(db, kinds=KINDS, year=y)
        except UserError:  # a second site in the same database: the blocks are there
            pass
    return site


def inspected_on(db, site):
    with db.session() as session:
        return local(session.get(Inspection, site.inspection_id).started_at).date()


def backdated(db, site, kind, **kw):
    day = inspected_on(db, site)
    return notices.issue_for_inspection(db, site.inspection_id, kind, issued_on=day,
                                        backdate_reason="现场无法打印，回局补打", **kw)


# --- 1. 现场处理措施决定书 -------------------------------------------------------------------------

def test_an_on_site_measure_gets_its_own_decision_and_the_order_refers_to_it(services):
    db = services.db
    site = build_site(db, [DUST, CLEAN])
    measure = notices.issue_for_inspection(db, site.inspection_id, "measure")
    year = local_today().year
    assert measure.number_text == f"（兴）应急现决〔{year}〕1号"
    text = flat(measure.pdf)
    assert "现场处理措施决定书" in text and measure.number_text in text
    assert "依据《中华人民共和国安全生产法》第六十五条第一款第（三）项的规定，现作出如下现场处理决定" in text
    assert "对第1项：停止使用该除尘系统，经复查合格后方可恢复生产。" in text
    assert "如果不服本决定，可以依法在60日内向兴国县人民政府申请行政复议" in text
    assert "粉尘清扫未做记录" not in text  # only the hazard that needs a measure
    order = notices.issue_for_inspection(db, site.inspection_id, "order")
    text = flat(order.pdf)
    assert "停止使用该除尘系统" not in text  # the measure is not an order's rectification requirement
    assert f"现场处理措施由本机关另行作出现场处理措施决定〔{measure.number_text}〕" in text
    assert "铝镁等金属粉尘除尘系统改为负压除尘方式" in text


def test_the_cli_issues_a_measure_decision_and_the_order_offers_it(services, data_dir, capsys):
    from inspector.cli import main

    db = services.db
    site = build_site(db, [DUST])
    out = data_dir / "order.pdf"
    data_dir = str(data_dir)
    assert main(["--data-dir", data_dir, "notice", site.inspection_id, "--kind", "order", "--out", str(out)]) == 0
    assert "请另行签发现场处理措施决定书" in capsys.readouterr().err  # offered when a hazard needs an on-site measure
    out = out.with_name("measure.pdf")
    assert main(["--data-dir", data_dir, "notice", site.inspection_id, "--kind", "measure", "--issue",
                 "--out", str(out)]) == 0
    assert "应急现决" in capsys.readouterr().out and "现场处理措施决定书" in flat(out.read_bytes())


def test_no_measure_decision_without_an_on_site_measure(services):
    site = build_site(services.db, [CLEAN])
    with pytest.raises(UserError, match="无需现场处理措施决定书"):
        inspection_document(services.db, site.inspection_id, "measure")


# --- 2. competence: fire matters --------------------------------------------------------------

def test_fire_findings_never_enter_an_emergency_order_and_go_to_a_referral(services):
    db = services.db
    site = build_site(db, [EXIT, CLEAN])
    order = flat(notices.issue_for_inspection(db, site.inspection_id, "order").pdf)
    assert "彩钢夹芯板" not in order and "重大事故隐患判定依据" not in order and "【重大事故隐患】" not in order
    referral = notices.issue_for_inspection(db, site.inspection_id, "referral")
    text = flat(referral.pdf)
    assert "移送书" in text and "应急移送" in referral.number_text
    assert "兴国县消防救援大队：" in text and "【重大火灾隐患】" in text and "【重大事故隐患】" not in text
    assert "彩钢夹芯板" in text and "粉尘清扫未做记录" not in text
    park = flat(notices.issue_for_inspection(db, site.inspection_id, "park").pdf)
    assert "【重大火灾隐患】" in park and "【重大事故隐患】" not in park


def test_a_finding_under_the_work_safety_law_too_stays_in_the_order(services):
    welder = CLEAN | {"description": "电焊作业人员未持特种作业操作证上岗作业", "level": "major",
                      "basis": "《安全生产法》第三十条；《消防法》第二十一条",
                      "major_clause": "《工贸企业重大事故隐患判定标准》第三条（二）"}
    site = build_site(services.db, [welder, EXIT])
    order = flat(notices.issue_for_inspection(services.db, site.inspection_id, "order").pdf)
    assert "电焊作业人员未持特种作业操作证上岗作业" in order and "【重大事故隐患】" in order
    assert "彩钢夹芯板" not in order


def test_an_order_of_only_fire_findings_is_refused_with_the_right_instruments(services):
    site = build_site(services.db, [EXIT])
    with pytest.raises(UserError, match="移送书"):
        notices.issue_for_inspection(services.db, site.inspection_id, "order")


def test_competence_comes_from_the_configuration():
    config = load_config(overrides={"competence": {"order": ["safety", "fire"]}})
    assert config.competence.allows("order", "fire")
    assert not load_config().competence.allows("order", "fire")
    with pytest.raises(UserError, match="competence.order"):
        load_config(overrides={"competence": {"order": ["water"]}})


# --- 3. the record date -----------------------------------------------------------------------

def test_the_printed_date_is_the_date_of_the_record_everywhere(services):
    db = services.db
    site = build_site(db, [CLEAN])
    day = inspected_on(db, site)
    notice = backdated(db, site, "park")
    assert f"{day_text(day)}" in flat(notice.pdf)
    [summary] = notices.notice_summaries(db)
    assert summary.record_date == day and summary.as_json()["issued_on"] == day.isoformat()
    assert summary.backdate_reason == "现场无法打印，回局补打"
    result = notices.verify_pdf(db, notice.pdf)
    assert result.ok and f"{day.isoformat()}签发" in result.message


@pytest.mark.parametrize("shift, reason, message", [
    (1, "补打", "不能预签日期"),  # after today
    (None, "补打", "早于检查日期"),  # before the inspection
    (-1, "", "须说明补签原因"),  # backdated without a reason
])
def test_impossible_dates_are_refused(services, shift, reason, message):
    db = services.db
    site = build_site(db, [CLEAN])
    day = inspected_on(db, site) - timedelta(days=1) if shift is None else local_today() + timedelta(days=shift)
    with pytest.raises(notices.IssueRefused, match=message):
        notices.issue_for_inspection(db, site.inspection_id, "park", issued_on=day, backdate_reason=reason)
    assert notices.notice_summaries(db) == []


def test_a_deadline_on_the_issue_date_is_refused_and_immediate_is_its_own_choice(services):
    db = services.db
    site = build_site(db, [CLEAN, CLEAN | {"description": "安全出口上锁"}], days_ago=0)
    with db.session() as session:
        first = session.get(Finding, site.finding_ids[0])
        first.deadline = local_today()  # on the day of the inspection: 立即整改
        session.add(first)
    notice = notices.issue_for_inspection(db, site.inspection_id, "park")
    assert "整改期限：立即整改。" in flat(notice.pdf)
    site = build_site(db, [CLEAN], days_ago=3)
    with db.session() as session:
        late = session.get(Finding, site.finding_ids[0])
        late.deadline = local_today() - timedelta(days=1)  # after the inspection, before today
        session.add(late)
    with pytest.raises(notices.IssueRefused, match="不晚于文书日期"):
        notices.issue_for_inspection(db, site.inspection_id, "park")


def test_numbers_out_of_date_order_are_warned_about(services, data_dir, capsys):
    from inspector.cli import main

    db = services.db
    first = build_site(db, [CLEAN], days_ago=0)
    second = build_site(db, [CLEAN], days_ago=2, deadline_days=12)
    notices.issue_for_inspection(db, first.inspection_id, "park")
    out = data_dir / "late.pdf"
    day = inspected_on(db, second).isoformat()
    assert main(["--data-dir", str(data_dir), "notice", second.inspection_id, "--kind", "park", "--issue",
                 "--date", day, "--backdate-reason", "补录", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "文号顺序与日期顺序相反" in err and "2号" in err


def test_a_review_quotes_the_printed_date_and_printed_deadlines_of_the_order(services):
    from inspector.core.loop import reinspections

    db = services.db
    site = build_site(db, [CLEAN], days_ago=3, deadline_days=9)
    printed_deadline = local_today() + timedelta(days=9)
    order = backdated(db, site, "order")
    with db.session() as session:  # the deadline changes after the order was printed
        finding = session.get(Finding, site.finding_ids[0])
        finding.deadline = local_today() + timedelta(days=40)
        session.add(finding)
    visit = reinspections.start_reinspection(db, site.enterprise_id, site.inspector_ids)
    reinspections.record_outcome(db, visit, site.finding_ids[0], "escalated")
    reinspections.complete_reinspection(db, visit)
    text = flat(issue_review(db, visit).pdf)
    assert f"本机关于{day_text(inspected_on(db, site))}作出了" in text
    assert f"原整改完成时限：{day_text(printed_deadline)}前" in text and order.number_text in text


# --- 4. facts, not alternatives ---------------------------------------------------------------

def test_a_finding_prints_the_fact_found_not_the_checklist_alternatives(services):
    db = services.db
    site = build_site(db, [DUST])
    for kind in ("order", "record", "park"):
        text = flat(notices.issue_for_inspection(db, site.inspection_id, kind).pdf)
        assert "铝镁等金属粉尘除尘系统采用正压除尘方式" in text, kind
        assert "（或其他" not in text and "火花探测消除等防范点燃源措施）" not in text, kind


def test_the_inspector_is_told_when_a_description_still_lists_alternatives(services, data_dir, capsys):
    from inspector.cli import main

    site = build_site(services.db, [DUST, CLEAN])
    out = data_dir / "draft.pdf"
    assert main(["--data-dir", str(data_dir), "notice", site.inspection_id, "--kind", "park", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "第1项隐患描述仍列有检查表的备选情形" in err and "第2项" not in err


def test_the_basis_is_printed_once_after_a_full_stop(services):
    db = services.db
    site = build_site(db, [DUST, CLEAN])
    text = flat(notices.issue_for_inspection(db, site.inspection_id, "order").pdf)
    assert "重大事故隐患判定依据" not in text
    assert text.count("第十一条（四）") == 1
    assert all(text[i - 1] == "。" for i in _find_all(text, "依据："))


def _find_all(text: str, word: str) -> list[int]:
    found, start = [], text.find(word)
    while start >= 0:
        found.append(start)
        start = text.find(word, start + 1)
    return found


# --- 5. the record ----------------------------------------------------------------------------

def test_the_record_states_facts_with_signature_fields_for_refusal_and_witness(services):
    db = services.db
    site = build_site(db, [DUST, CLEAN])
    record = notices.issue_for_inspection(db, site.inspection_id, "record", witness="李四（兴国县某村委会）")
    text = flat(record.pdf)
    assert "处理情况" not in text and "责令" not in text and "整改期限" not in text
    assert "见证人（签名）" in text and "李四（兴国县某村委会）" in text
    assert "拒绝签字情况" in text
    with pdfplumber.open(io.BytesIO(record.pdf)) as doc:
        page = next(p for p in doc.pages if "检查人员（签名）" in (p.extract_text() or ""))
        words = page.extract_words()
        rules = [line for line in page.lines if abs(line["y0"] - line["y1"]) < 0.5 and line["x1"] - line["x0"] > 40]
        for name in ("刘志强", "曾海燕"):
            word = next(w for w in words if name in w["text"])
            beside = [r for r in rules if abs(r["top"] - word["bottom"]) < 6]
            assert beside, f"{name} is not printed beside a signature line"


# --- 6. typography ----------------------------------------------------------------------------

def test_one_page_number_per_page(services):
    db = services.db
    site = build_site(db, [DUST, CLEAN])
    for kind in ("order", "record", "measure"):
        for number, page in enumerate(pages(notices.issue_for_inspection(db, site.inspection_id, kind).pdf), 1):
            squeezed = "".join(page.split())
            assert squeezed.count(f"—{number}—") == 1 and not re.search(r"共\d+页", squeezed)


def test_photo_pages_carry_the_number_and_captions_say_when_where_and_which_finding(services):
    db = services.db
    site = build_site(db, [DUST, CLEAN])
    notice = notices.issue_for_inspection(db, site.inspection_id, "order")
    photo_pages = [p for p in pages(notice.pdf) if "附件：隐患照片" in "".join(p.split()) and "签名" not in p]
    assert photo_pages
    for page in photo_pages:
        squeezed = "".join(page.split())
        assert f"{notice.number_text}附件" in squeezed
        assert "隐患" in squeezed and "拍摄时间：" in squeezed and "抛光车间" in squeezed
    text = flat(notice.pdf)
    assert "第1项隐患抛光车间" in text and "第2项隐患抛光车间" in text and "LK-01" not in text


def test_a_gb35181_item_prints_as_a_major_fire_hazard_in_the_park_notice(services):
    """XF-09 is a 重大火灾隐患 (GB 35181), not a 重大事故隐患: its finding stays 一般 in the record, and the park
    notice labels it 【重大火灾隐患】 with its clause (it printed no label at all after the checklist rework)."""
    import io

    import pdfplumber

    from inspector.core.documents import render_document
    from inspector.core.documents.notice_data import inspection_document
    from inspector.core.documents.notices import document_config
    from inspector.core.records import enterprises, inspections, inspectors

    db = services.db
    fire = next(c for c in services.checklists.checklists if c.id == "fire")
    company = enterprises.create_enterprise(db, name="兴国县测试超市有限公司", industry="商贸")
    team = [inspectors.add_inspector(db, name=name, certificate_no=no).id
            for name, no in (("刘志强", "36070001"), ("曾海燕", "36070002"))]
    inspection = inspections.start_inspection(db, enterprise_id=company.id, checklists=[fire], inspector_ids=team)
    snapshot = inspection.snapshot_ids[0]
    finding = inspections.answer_item(db, inspection_id=inspection.id, snapshot_id=snapshot, item_id="XF-09",
                                      result="fail")
    assert finding.level == "general"  # not a 重大事故隐患
    document = inspection_document(db, inspection.id, "park", document_config(services))
    [hazard] = document.data.hazards
    assert hazard.is_major and hazard.major_clause.startswith("GB 35181")
    pdf = render_document(document.data, document_config(services))
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        text = "".join((page.extract_text() or "") for page in opened.pages).replace(" ", "").replace("\n", "")
    assert "【重大火灾隐患】" in text and "【重大事故隐患】" not in text
