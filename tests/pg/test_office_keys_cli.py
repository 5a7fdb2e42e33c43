"""``inspector keys`` on the laptop's file and on the office server (``any_url``).

On the server the database has no folder of its own: the trust file (``trust.yaml`` an office hands
out) is read from the data directory of the PC running the command, as settings and backups are.
"""

from __future__ import annotations

import pytest

from tests.pg.office_cli import run
from tests.test_cli_notices import YEAR


@pytest.fixture
def office(any_url, data_dir):
    """The CLI's global options for the database under test: the laptop's file, or the office server."""
    return ["--data-dir", str(data_dir)] + ([] if any_url.startswith("sqlite") else ["--database", any_url])


@pytest.fixture
def office_key(tmp_path, capsys):
    """An office key XG1 and its trust file, made with the CLI in a folder of its own."""
    folder = tmp_path / "office-key"
    folder.mkdir()
    code, _, err = run(capsys, "--data-dir", folder / "data", "keys", "office-create", "--id", "XG1",
                       "--name", "兴国县应急管理局", "--out", folder / "office.pem", "--trust", folder / "trust.yaml")
    assert code == 0, err
    return folder


def certificate_for(capsys, office, office_key, serial: int) -> str:
    code, request, err = run(capsys, *office, "keys", "request", "--label", "办公室")
    assert code == 0 and request.startswith("XGR1."), err
    code, certificate, err = run(capsys, "--data-dir", office_key / "data", "keys", "certify", request.strip(),
                                 "--office-key", office_key / "office.pem", "--id", "XG1", "--serial", serial,
                                 "--valid-until", f"{int(YEAR) + 2}-12-31")
    assert code == 0, err
    return certificate.strip()


def test_keys_status_reads_the_trust_file_of_this_pcs_data_directory(office, office_key, data_dir, capsys):
    code, out, err = run(capsys, *office, "keys", "status")
    assert code == 0 and "证书：未安装" in out, err
    certificate = certificate_for(capsys, office, office_key, serial=7)
    code, out, err = run(capsys, *office, "keys", "install", certificate)
    assert code == 0 and "证书 7 号" in out and "注意" in out, err  # no trust file yet: not trusted here

    (data_dir / "trust.yaml").write_bytes((office_key / "trust.yaml").read_bytes())
    code, out, err = run(capsys, *office, "keys", "status")
    assert code == 0 and "证书：7 号，XG1 认证" in out and "注意" not in out, (out, err)
    code, out, err = run(capsys, *office, "keys", "install", certificate)
    assert code == 0 and "证书 7 号" in out and "注意" not in out, (out, err)


def test_the_same_key_and_certificate_for_every_run_of_the_office(office, office_key, capsys):
    """The signing key lives in the database: a second run (another office PC) sees the same key."""
    code, first, _ = run(capsys, *office, "keys", "status")
    code, second, _ = run(capsys, *office, "keys", "status")
    assert code == 0 and first == second and "签名公钥：" in first


def test_a_bad_certificate_is_one_line_on_stderr(office, capsys):
    code, out, err = run(capsys, *office, "keys", "install", "XGC1.garbage")
    assert code != 0 and err.startswith("错误：") and err.count("\n") == 1 and "Traceback" not in err
    code, out, err = run(capsys, *office, "keys", "status")
    assert code == 0 and "证书：未安装" in out
