"""Helpers for the closed-loop tests: a real enterprise, inspectors, an inspection with hazards and photos."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path


def jpeg_bytes(colour=(200, 60, 40), size=(640, 480), text: str = "") -> bytes:
    """A real JPEG (Pillow), different for each colour/text."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([40, 40, size[0] - 40, size[1] - 40], outline=(255, 255, 255), width=8)
    if text:
        draw.text((60, 60), text, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def write_jpeg(folder: Path, name: str, colour=(40, 160, 60)) -> Path:
    path = folder / name
    path.write_bytes(jpeg_bytes(colour, text=name))
    return path


@dataclass
class Site:
    enterprise_id: str
    inspection_id: str
    inspector_ids: list[str]
    finding_ids: list[str]


def make_site(db, *, hazards: int = 2, levels: tuple[str, ...] = ("general", "major"), found_days_ago: int = 10,
              deadline_days: int = 7, photos: bool = True, name: str = "兴国县测试冷链有限公司",
              industry: str = "冷库/涉氨制冷") -> Site:
    """An enterprise, two inspectors with certificates, a completed inspection with failing findings."""
    import random

    from inspector.core.records import credit_code
    from inspector.core.common.clock import CHINA_TZ
    from inspector.core.photos.ingest import ingest
    from inspector.db.models import Enterprise, Finding, Inspection, Inspector, Photo

    found = datetime.now(timezone.utc) - timedelta(days=found_days_ago)
    found_day = found.astimezone(CHINA_TZ).date()
    with db.session() as session:
        enterprise = Enterprise(name=name, credit_code=credit_code.generate(random.Random(name)), industry=industry,
                                address="兴国经济技术开发区平川大道1号", legal_representative="钟建国",
                                contact_phone="13900000000", device_id=db.device_id)
        officers = [Inspector(name=n, certificate_no=c, device_id=db.device_id)
                    for n, c in (("刘志强", "36070001"), ("曾海燕", "36070002"))]
        session.add(enterprise)
        session.add_all(officers)
        session.flush()
        inspection = Inspection(enterprise_id=enterprise.id, started_at=found, ended_at=found + timedelta(hours=1),
                                inspector_ids=[o.id for o in officers], place="氨制冷机房", status="completed",
                                device_id=db.device_id)
        session.add(inspection)
        session.flush()
        findings = []
        for index in range(hazards):
            level = levels[index % len(levels)]
            finding = Finding(inspection_id=inspection.id, item_id=f"LK-{index + 1:02d}", item_text=f"检查项{index + 1}",
                              seq=index + 1, result="fail", description=f"测试隐患{index + 1}：氨机房未设报警装置",
                              location="氨制冷机房", level=level,
                              major_clause="工贸重大隐患判定标准第三条" if level == "major" else "",
                              requirement="立即整改", basis="GB 50072—2021 7.4.1",
                              deadline=found_day + timedelta(days=deadline_days), device_id=db.device_id)
            session.add(finding)
            findings.append(finding)
        session.flush()
        if photos:
            for index, finding in enumerate(findings):
                photo = ingest(jpeg_bytes((180, 40 + 30 * index, 40), text=f"before {index}"), name=f"before{index}.jpg")
                session.add(Photo(finding_id=finding.id, seq=0, caption="整改前", jpeg=photo.jpeg,
                                  thumbnail=photo.thumbnail, original_sha256=photo.original_sha256,
                                  jpeg_sha256=_sha(photo.jpeg), original_size=photo.original_size,
                                  width=photo.width, height=photo.height, original_name=photo.original_name,
                                  kind="before", device_id=db.device_id))
    return Site(enterprise.id, inspection.id, [o.id for o in officers], [f.id for f in findings])


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def add_number_blocks(db, kinds=("order", "park", "review"), year: int | None = None) -> None:
    """Number blocks for this device so documents can be issued."""
    from inspector.core.common.clock import local_today
    from inspector.core.documents import load_config
    from inspector.core.documents.numbering import add_block, series_prefix

    config = load_config()
    year = year or local_today().year
    for kind in kinds:
        add_block(db, kind=kind, prefix=series_prefix(config, kind), year=year, first=1, last=50)


def today() -> date:
    from inspector.core.common.clock import local_today

    return local_today()
