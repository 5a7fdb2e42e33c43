"""Document renderer: real PDFs checked with pypdf (headless, no Qt, no database)."""

from __future__ import annotations

import dataclasses
import io
import random
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from inspector.core.documents import (
    DocumentData, DocumentKind, EnterpriseInfo, HazardEntry, Inspector, PhotoEntry, ReviewItem, content_hash,
    format_number, load_config, read_embedded_payload, render_document,
)
from inspector.errors import UserError

A4_POINTS = (595.27, 841.89)
CST = timezone(timedelta(hours=8))
ENTERPRISE = "兴国县恒昌冷链食品有限公司"
DESCRIPTIONS = (
    "氨制冷机房未设置氨气浓度报警装置",
    "配电箱前堆放纸箱等可燃物",
    "员工宿舍楼道内电动自行车违规充电",
)
DEADLINES = (date(2025, 3, 14), date(2025, 3, 21), date(2025, 4, 6))


def jpeg(seed: int, size: tuple[int, int] = (800, 600)) -> bytes:
    """A small noisy JPEG, different for every seed."""
    rng = random.Random(seed)
    small = (size[0] // 8, size[1] // 8)
    image = Image.frombytes("L", small, rng.randbytes(small[0] * small[1])).convert("RGB").resize(size)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rng.randrange(size[0] - 120), rng.randrange(size[1] - 120)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.rectangle([x, y, x + rng.randrange(20, 120), y + rng.randrange(20, 120)], fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def hazards(photos_per_hazard: int = 2, seed: int = 0) -> list[HazardEntry]:
    result = []
    for index, (description, deadline) in enumerate(zip(DESCRIPTIONS, DEADLINES), start=1):
        major = index == 1
        result.append(HazardEntry(
            no=index,
            description=description,
            deadline=deadline,
            location=("1号冷库氨机房", "生产车间配电室", "员工宿舍1楼")[index - 1],
            level="major" if major else "general",
            major_clause="《工贸企业重大事故隐患判定标准》第十二条第（一）项" if major else "",
            requirement=("设置氨气浓度报警装置并与事故排风机联锁", "清理配电箱前可燃物，保持0.8米操作通道",
                         "停止楼道内充电，设置集中充电场所")[index - 1],
            basis=("《冷库设计标准》GB 50072—2021 第7.4节", "《中华人民共和国安全生产法》第四十一条",
                   "《高层民用建筑消防安全管理规定》第三十七条")[index - 1],
            photos=[PhotoEntry(jpeg(seed + index * 10 + k), f"现场照片{k}") for k in range(1, photos_per_hazard + 1)],
        ))
    return result


def make_data(kind: str, *, number: str | None = "auto", photos_per_hazard: int = 2, seed: int = 0) -> DocumentData:
    config = load_config()
    if number == "auto":
        number = format_number(config, kind, 2025, 12)
    items = hazards(photos_per_hazard, seed)
    if kind == "measure":
        items[0] = dataclasses.replace(items[0], measure="停止使用1号冷库氨制冷系统，撤出库内作业人员")
    if kind == "referral":
        items = [dataclasses.replace(h, matter="fire", level="general", major_clause="",
                                     basis="《中华人民共和国消防法》第二十八条") for h in items]
    review = []
    if kind == "review":
        review = [
            ReviewItem(1, "已按要求整改完毕，符合要求", PhotoEntry(jpeg(seed + 101), "报警器缺失"),
                       PhotoEntry(jpeg(seed + 102), "已安装报警器")),
            ReviewItem(2, "已按要求整改完毕，符合要求", PhotoEntry(jpeg(seed + 103)), PhotoEntry(jpeg(seed + 104))),
            ReviewItem(3, "未整改完毕，将依法处理", PhotoEntry(jpeg(seed + 105)), None),
        ]
    return DocumentData(
        kind=kind,
        number=number,
        enterprise=EnterpriseInfo(ENTERPRISE, "91360732MA35XXXX0K", "江西省赣州市兴国县经济技术开发区兴业大道8号",
                                  "刘建国", "0797-5321234", "总经理"),
        place="生产车间、1号冷库及员工宿舍",
        started_at=datetime(2025, 3, 7, 9, 5, tzinfo=CST),
        ended_at=datetime(2025, 3, 7, 3, 40, tzinfo=timezone.utc),  # 11:40 in Shanghai
        inspectors=[("王明", "36070012345"), Inspector("李华", "36070012346")],
        hazards=items,
        issued_on=date(2025, 3, 7),
        notes="会同企业安全管理人员对生产车间、冷库、员工宿舍进行了检查",
        review_items=review,
        reviewed_number=format_number(config, "order", 2025, 12) if kind == "review" else None,
        reviewed_on=date(2025, 3, 7) if kind == "review" else None,
    )


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def image_xobjects(reader: PdfReader) -> set[int]:
    found: set[int] = set()
    for page in reader.pages:
        xobjects = page["/Resources"].get("/XObject", {})
        for ref in xobjects.values():
            assert isinstance(ref, IndirectObject)
            if ref.get_object()["/Subtype"] == "/Image":
                found.add(ref.idnum)
    return found


def assert_fonts_embedded(reader: PdfReader) -> int:
    count = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font
            count += 1
    return count


@pytest.fixture(scope="module")
def rendered() -> dict[str, tuple[DocumentData, bytes]]:
    return {kind.value: (data := make_data(kind.value), render_document(data)) for kind in DocumentKind}


@pytest.mark.parametrize("kind", [k.value for k in DocumentKind])
def test_each_kind_renders_a_complete_a4_document(rendered, kind):
    data, pdf = rendered[kind]
    config = load_config()
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4_POINTS[0]) < 1 and abs(height - A4_POINTS[1]) < 1
    text = text_of(pdf)
    marked = kind in ("order", "review", "park", "measure")  # a record states facts; a referral has no major item
    for expected in (config.title(kind), data.number, ENTERPRISE, "—1—") + (("【重大事故隐患】",) if marked else ()):
        assert expected in text, expected
    for description in DESCRIPTIONS[:1] if kind == "measure" else DESCRIPTIONS:
        assert description in text
    for deadline in DEADLINES if kind in ("order", "review", "park") else ():
        assert f"{deadline.year}年{deadline.month}月{deadline.day}日" in text
    assert "2025年3月7日" in text  # issue date, Arabic numerals
    assert assert_fonts_embedded(reader) >= 2
    photos = {"review": 5, "measure": 2}.get(kind, 6)  # review: 3 before + 2 after (QR is vector)
    assert len(image_xobjects(reader)) == photos


def test_record_prints_times_in_shanghai_and_inspectors(rendered):
    text = text_of(rendered["record"][1])
    assert "2025年3月7日9时05分至2025年3月7日11时40分" in text
    assert "王明、李华" in text and "36070012345" in text
    assert "共" not in text and "第2项隐患照片2生产车间配电室现场照片2" in text


def test_order_has_appeal_sentence_and_major_count(rendered):
    text = text_of(rendered["order"][1])
    assert "其中事故隐患1项属于重大隐患。" in text
    assert "可以依法在60日内向兴国县人民政府申请行政复议" in text
    assert "在6个月内依法向兴国县人民法院提起行政诉讼" in text
    assert "本文书一式两份：一份由应急管理部门备案，一份交被检查单位。" in text
    assert "（兴）应急责改〔2025〕12号" in text


def test_appeal_bodies_come_from_config():
    config = load_config(overrides={"appeal": {"court": "赣州市章贡区人民法院", "reconsideration_body": "某某人民政府"}})
    text = text_of(render_document(make_data("order", photos_per_hazard=0), config))
    assert "向某某人民政府申请行政复议" in text and "向赣州市章贡区人民法院提起行政诉讼" in text


def test_park_notice_has_no_appeal_clause(rendered):
    text = text_of(rendered["park"][1])
    assert "行政复议" not in text and "行政诉讼" not in text
    assert "兴经开安改〔2025〕12号" in text
    assert "兴国经济技术开发区管理委员会" in text and "五落实" in text


def test_review_shows_before_and_after(rendered):
    text = text_of(rendered["review"][1])
    assert "第1项隐患（整改前）1号冷库氨机房报警器缺失" in text and "第1项隐患（整改后）1号冷库氨机房已安装报警器" in text
    assert "（无照片）" in text
    assert "〔（兴）应急责改〔2025〕12号〕" in text
    assert "本文书一式两份：一份由应急管理部门备案，一份交被复查单位。" in text


@pytest.mark.parametrize("kind", ["order", "park"])
def test_payload_round_trips(rendered, kind):
    data, pdf = rendered[kind]
    payload = read_embedded_payload(pdf)
    assert payload == {
        "version": "XGAQ1", "kind": kind, "number": data.number, "credit_code": "91360732MA35XXXX0K",
        "issued_on": "2025-03-07", "content_hash": content_hash(data),
    }
    assert read_embedded_payload(b"not a pdf") is None


def test_content_hash_follows_content_not_pdf():
    first, second = make_data("order"), make_data("order")
    assert content_hash(first) == content_hash(second)
    changed = make_data("order", seed=1)  # different photo bytes
    assert content_hash(changed) != content_hash(first)


def test_rendering_is_deterministic_and_drafts_are_marked():
    data = make_data("park", number=None, photos_per_hazard=1)
    pdf = render_document(data)
    assert pdf == render_document(data)
    text = text_of(pdf)
    assert "（草稿，未编号）" in text
    assert read_embedded_payload(pdf)["number"] is None


def test_photos_are_embedded_as_is_without_ascii85(rendered):
    data, pdf = rendered["order"]
    originals = {photo.jpeg for hazard in data.hazards for photo in hazard.photos}
    reader = PdfReader(io.BytesIO(pdf))
    embedded = set()
    for idnum in image_xobjects(reader):
        stream = reader.get_object(idnum)
        assert list(stream["/Filter"]) == ["/DCTDecode"]
        embedded.add(stream._data)  # raw stream bytes: the JPEG file itself
    assert embedded == originals
    from reportlab import rl_config

    assert rl_config.useA85 == 1  # the render restored ReportLab's global default


def test_format_number():
    config = load_config()
    assert format_number(config, "order", 2025, 12) == "（兴）应急责改〔2025〕12号"
    assert format_number(config, DocumentKind.RECORD, 2025, 1) == "（兴）应急检记〔2025〕1号"
    assert format_number(config, "review", 2026, 3) == "（兴）应急复查〔2026〕3号"
    assert format_number(config, "park", 2025, 3) == "兴经开安改〔2025〕3号"
    with pytest.raises(ValueError):
        format_number(config, "order", 2025, 0)


@pytest.mark.parametrize("overrides, message", [
    ({"appeal": {"court": ""}}, "appeal.court"),
    ({"appeal": {"reconsideration_days": "六十"}}, "appeal.reconsideration_days"),
    ({"authority": {"nmae": "x"}}, "authority.nmae"),
    ({"layout": {"photos_per_row": 5}}, "layout.photos_per_row"),
    ({"fonts": "simfang.ttf"}, "fonts"),
])
def test_malformed_config_raises_user_error(overrides, message):
    with pytest.raises(UserError) as caught:
        load_config(overrides=overrides)
    assert message in str(caught.value)


def test_malformed_config_file_raises_user_error(tmp_path: Path):
    broken = tmp_path / "documents.yaml"
    broken.write_text("authority:\n  name: [未闭合\n", encoding="utf-8")
    with pytest.raises(UserError, match="格式有误"):
        load_config(broken)
    with pytest.raises(UserError, match="找不到"):
        load_config(tmp_path / "missing.yaml")
    partial = tmp_path / "county.yaml"
    partial.write_text("authority:\n  abbreviation: 赣\n", encoding="utf-8")
    assert format_number(load_config(partial), "order", 2025, 2) == "（赣）应急责改〔2025〕2号"


def test_configured_system_font_is_used_when_present(tmp_path: Path):
    from inspector.core.documents.fonts import bundled_fonts_dir, font_set

    fake_system = tmp_path / "simhei.ttc"
    fake_system.write_bytes((bundled_fonts_dir() / "wqy-microhei.ttc").read_bytes())
    config = load_config(overrides={"fonts": {"body": {"system": [str(tmp_path / "absent.ttf"), str(fake_system)]}}})
    fonts = font_set(config.fonts)
    assert fonts.body.path == fake_system
    assert fonts.title.path.name == "uming.ttc"


def test_invalid_content_is_a_user_error():
    assert EnterpriseInfo("某公司", None, None).address == ""  # NULL columns read as blanks
    data = make_data("order", photos_per_hazard=0)
    with pytest.raises(UserError):
        render_document(DocumentData(kind="order", enterprise=EnterpriseInfo(" "), issued_on=date(2025, 3, 7),
                                     hazards=data.hazards))
    with pytest.raises(UserError, match="第9项"):
        render_document(DocumentData(kind="review", enterprise=data.enterprise, issued_on=date(2025, 3, 7),
                                     hazards=data.hazards, review_items=[ReviewItem(9, "符合要求")]))
    with pytest.raises(UserError, match="不是有效的 JPEG"):
        broken = HazardEntry(1, "x", date(2025, 3, 8), photos=[PhotoEntry(b"\xff\xd8garbage")])
        render_document(DocumentData(kind="park", enterprise=data.enterprise, issued_on=date(2025, 3, 7),
                                     hazards=[broken]))


def test_user_text_is_escaped_and_missing_glyphs_fall_back():
    data = make_data("park", photos_per_hazard=0)
    odd = HazardEntry(4, "A&B<仓库>内CO₂灭火器压力不足", date(2025, 3, 9), location="R&D楼")
    text = text_of(render_document(DocumentData(
        kind="park", number=data.number, enterprise=data.enterprise, issued_on=data.issued_on,
        hazards=[*data.hazards, odd],
    )))
    assert "A&B<仓库>内CO₂灭火器压力不足" in text
    from inspector.core.documents.fonts import font_set

    fonts = font_set(load_config().fonts)
    assert fonts.markup("CO₂<") == f'CO<font name="{fonts.fallback.name}">₂</font>&lt;'  # ₂ is not in UMing


def test_hazard_number_ranges():
    from inspector.core.documents.text import join_numbers

    assert join_numbers([1, 2]) == "1、2"
    assert join_numbers([1, 2, 3, 5]) == "1至3、5"
    assert join_numbers(list(range(1, 11))) == "1至10"


def test_importing_the_package_loads_no_reportlab():
    import subprocess
    import sys

    code = ("import sys, inspector.core.documents as d; d.load_config(); "
            "print(sorted(m for m in ('reportlab', 'segno', 'pypdf') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[3])
    assert out.stdout.strip() == "[]"
