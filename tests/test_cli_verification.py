"""Verifiable printouts end to end through the CLI: the office certifies a laptop, the laptop issues,
someone with only the trust file (no database of the issuer) verifies the PDF, the QR text, and a
scan of the printed page; tampering, an uncertified laptop, revocation and key rotation are told apart."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from PIL import Image, ImageFilter

from inspector.core.documents.payload import read_embedded_payload
from inspector.core.documents.printout import pdf_qr_text
from tests.document_dates import order_hazard_counts
from tests.test_cli_notices import YEAR, run


@pytest.fixture(autouse=True)
def deadlines_after_today(demo_dir):
    """Demo inspections lie in the past; a document issued today may not carry deadlines already passed."""
    from inspector.services import Services
    from tests.document_dates import future_deadlines

    services = Services(demo_dir)
    try:
        future_deadlines(services.db)
    finally:
        services.close()


@pytest.fixture
def office(tmp_path, capsys):
    """An office key XG1 and its trust file, made with the CLI."""
    folder = tmp_path / "office"
    folder.mkdir()
    code, out, err = run(capsys, "--data-dir", folder / "data", "keys", "office-create", "--id", "XG1",
                         "--name", "兴国县应急管理局", "--out", folder / "office.pem", "--trust", folder / "trust.yaml")
    assert code == 0, err
    return folder


def certify_laptop(capsys, office, laptop, serial: int, key_id: str = "XG1", pem: str = "office.pem") -> str:
    code, request, err = run(capsys, "--data-dir", laptop, "keys", "request", "--label", "张三 李四")
    assert code == 0 and request.startswith("XGR1."), err
    code, certificate, err = run(capsys, "--data-dir", office / "data", "keys", "certify", request.strip(),
                                 "--office-key", office / pem, "--id", key_id, "--serial", serial,
                                 "--valid-until", f"{int(YEAR) + 2}-12-31")
    assert code == 0 and "张三 李四" in err, err
    code, out, err = run(capsys, "--data-dir", laptop, "keys", "install", certificate.strip())
    assert code == 0 and f"证书 {serial} 号" in out, err
    return certificate.strip()


def issue_order(capsys, laptop, tmp_path, name: str = "order.pdf"):
    """Issue an order (a new number block only for the first one), each time for another inspection."""
    code, out, _ = run(capsys, "--data-dir", laptop, "inspections", "--json")
    orderable = order_hazard_counts(laptop)  # not fire-only: fire matters never enter an order
    candidates = [row["id"] for row in json.loads(out) if orderable[row["id"]] >= 1]
    inspection = candidates[len(list(tmp_path.glob("*.pdf")))]
    if name == "order.pdf":
        code, _, err = run(capsys, "--data-dir", laptop, "numbers", "block", "add", "--kind", "order", "--year", YEAR,
                           "--first", "1", "--last", "50")
        assert code == 0, err
    pdf = tmp_path / name
    code, out, err = run(capsys, "--data-dir", laptop, "notice", inspection, "--kind", "order", "--issue", "--out", pdf)
    assert code == 0, err
    return pdf


def verifier(tmp_path, office):
    """A data directory with no documents at all, holding only the office's trust file."""
    folder = tmp_path / "verifier"
    folder.mkdir(exist_ok=True)
    shutil.copy(office / "trust.yaml", folder / "trust.yaml")
    return folder


def test_a_certified_laptops_printout_verifies_anywhere(capsys, demo_dir, office, tmp_path):
    certify_laptop(capsys, office, demo_dir, serial=7)
    pdf = issue_order(capsys, demo_dir, tmp_path)
    elsewhere = verifier(tmp_path, office)
    code, out, err = run(capsys, "--data-dir", elsewhere, "verify", pdf)
    assert code == 0 and out.startswith("真实") and "证书 7 号" in out and "兴国县应急管理局" in out, err
    payload = read_embedded_payload(pdf.read_bytes())
    assert payload["number"] in out and payload["credit_code"] in out and "隐患" in out
    code, out, err = run(capsys, "--data-dir", elsewhere, "verify", "--text", pdf_qr_text(pdf.read_bytes()))
    assert code == 0 and out.startswith("真实"), err


def test_a_scan_of_the_printed_page_verifies(capsys, demo_dir, office, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) renders the page here; the bootstrap installs it for the tests")
    certify_laptop(capsys, office, demo_dir, serial=8)
    pdf = issue_order(capsys, demo_dir, tmp_path)
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    page = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    scan = page.rotate(2.5, expand=True, fillcolor=255).filter(ImageFilter.GaussianBlur(0.8))  # a slightly skewed scan
    scan.save(tmp_path / "scan.jpg", quality=70)
    code, out, err = run(capsys, "--data-dir", verifier(tmp_path, office), "verify", tmp_path / "scan.jpg")
    assert code == 0 and out.startswith("真实") and "证书 8 号" in out, err


def test_changed_facts_are_forged_and_a_foreign_image_is_unreadable(capsys, demo_dir, office, tmp_path):
    certify_laptop(capsys, office, demo_dir, serial=9)
    text = pdf_qr_text(issue_order(capsys, demo_dir, tmp_path).read_bytes())
    parts = text.split("|")
    parts[6] = str(int(parts[6]) + 1)  # one more hazard than was signed
    elsewhere = verifier(tmp_path, office)
    code, out, err = run(capsys, "--data-dir", elsewhere, "verify", "--text", "|".join(parts))
    assert code == 1 and "伪造" in err and out == "" and len(err.strip().splitlines()) == 1
    Image.new("RGB", (400, 300), "white").save(tmp_path / "blank.png")
    code, out, err = run(capsys, "--data-dir", elsewhere, "verify", tmp_path / "blank.png")
    assert code == 1 and "没有找到可读的二维码" in err and "Traceback" not in err
    (tmp_path / "junk.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    code, out, err = run(capsys, "--data-dir", elsewhere, "verify", tmp_path / "junk.jpg")
    assert code != 0 and err.startswith("错误：") and len(err.strip().splitlines()) == 1


def test_an_uncertified_laptop_and_an_unknown_office_are_not_authentic(capsys, demo_dir, office, tmp_path):
    pdf = issue_order(capsys, demo_dir, tmp_path)  # no certificate installed
    code, out, err = run(capsys, "--data-dir", verifier(tmp_path, office), "verify", pdf)
    assert code == 1 and "未经办公室认证" in err
    other = tmp_path / "other-office"
    other.mkdir()
    code, _, err = run(capsys, "--data-dir", other / "data", "keys", "office-create", "--id", "ZZ9", "--name", "别处",
                       "--out", other / "office.pem", "--trust", other / "trust.yaml")
    assert code == 0, err
    certify_laptop(capsys, other, demo_dir, serial=1, key_id="ZZ9")
    pdf = issue_order(capsys, demo_dir, tmp_path, "second.pdf")
    code, out, err = run(capsys, "--data-dir", verifier(tmp_path, office), "verify", pdf)
    assert code == 1 and "不是由已知的办公室密钥（ZZ9）" in err


def test_a_revoked_laptop_and_a_rotated_office_key(capsys, demo_dir, office, tmp_path):
    certify_laptop(capsys, office, demo_dir, serial=11)
    old_pdf = issue_order(capsys, demo_dir, tmp_path)
    # rotation: a second office key joins the trust file; laptops certified under XG1 still verify
    code, _, err = run(capsys, "--data-dir", office / "data", "keys", "office-create", "--id", "XG2", "--name",
                       "兴国县应急管理局", "--out", office / "office2.pem", "--trust", office / "trust.yaml")
    assert code == 0, err
    trust = (office / "trust.yaml").read_text(encoding="utf-8")
    assert "XG1" in trust and "XG2" in trust
    code, out, _ = run(capsys, "--data-dir", verifier(tmp_path, office), "verify", old_pdf)
    assert code == 0 and out.startswith("真实")
    # the laptop is lost: the office revokes its certificate and hands out the new trust file
    code, out, err = run(capsys, "--data-dir", office / "data", "keys", "revoke", "--trust", office / "trust.yaml",
                         "--id", "XG1", "--serial", "11", "--reason", "笔记本丢失")
    assert code == 0, err
    code, out, err = run(capsys, "--data-dir", verifier(tmp_path, office), "verify", old_pdf)
    assert code == 1 and "吊销" in err and "笔记本丢失" in err
    # the replacement laptop key, certified under the new office key, verifies
    certify_laptop(capsys, office, demo_dir, serial=12, key_id="XG2", pem="office2.pem")
    new_pdf = issue_order(capsys, demo_dir, tmp_path, "new.pdf")
    code, out, err = run(capsys, "--data-dir", verifier(tmp_path, office), "verify", new_pdf)
    assert code == 0 and "证书 12 号" in out, err


def test_a_certificate_for_another_laptop_is_not_installed(capsys, demo_dir, office, tmp_path):
    other = tmp_path / "other-laptop"
    certificate = certify_laptop(capsys, office, other, serial=3)
    code, out, err = run(capsys, "--data-dir", demo_dir, "keys", "install", certificate)
    assert code != 0 and "不是为本设备" in err and len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, "--data-dir", demo_dir, "keys", "install", "XGC1.garbage")
    assert code != 0 and "证书格式不对" in err


def test_the_laptop_key_never_leaves_in_an_export(capsys, demo_dir, office, tmp_path):
    import sqlite3

    certify_laptop(capsys, office, demo_dir, serial=5)
    out_file = tmp_path / "laptop.inspector"
    code, _, err = run(capsys, "--data-dir", demo_dir, "export", "--out", out_file)
    assert code == 0, err
    connection = sqlite3.connect(out_file)
    try:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        leaked = [t for t in tables if t == "local_meta" and connection.execute(
            "SELECT count(*) FROM local_meta WHERE key LIKE 'signing%'").fetchone()[0]]
    finally:
        connection.close()
    assert leaked == []


def test_the_office_key_is_never_overwritten(capsys, office):
    code, _, err = run(capsys, "--data-dir", office / "data", "keys", "office-create", "--id", "XG3", "--name", "x",
                       "--out", office / "office.pem", "--trust", office / "trust.yaml")
    assert code != 0 and "不覆盖" in err
