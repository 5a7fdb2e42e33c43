"""Office tasks end to end through the CLI against a real PostgreSQL server (and the same run on SQLite):
enterprise master list and import, inspectors, number blocks."""

from __future__ import annotations

import json

import pytest

from inspector.cli import main

CSV = ("企业名称,统一社会信用代码,地址,行业\n"
       "兴国县红星化工有限公司,91360732MA35ABCD14,兴国经开区工业大道1号,化工\n"
       "兴国县绿源食品有限公司,,兴国经开区食品园,食品\n"
       "兴国县红星化工有限公司,91360732MA35ABCD14,重复的一行,化工\n")


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office(any_url, data_dir):
    """The CLI's global options for the database under test: the laptop's file, or the office server."""
    return ["--data-dir", str(data_dir)] + ([] if any_url.startswith("sqlite") else ["--database", any_url])


def test_enterprise_master_list_import_and_search(office, capsys, tmp_path):
    source = tmp_path / "企业名单.csv"
    source.write_text(CSV, encoding="utf-8")
    code, out, err = run(capsys, *office, "enterprises", "import", str(source))
    assert code == 0 and "已导入 2 家企业，拒绝 1 行" in out + err and "第 4 行" in out + err
    code, out, err = run(capsys, *office, "enterprises", "import", str(source))  # a second time: nothing twice
    assert code == 0 and "企业已登记" in out + err and "可导入 0 家企业" in out + err
    code, out, _ = run(capsys, *office, "enterprises", "--json")
    listed = json.loads(out)
    assert sorted(e["name"] for e in listed) == ["兴国县红星化工有限公司", "兴国县绿源食品有限公司"]
    code, out, _ = run(capsys, *office, "enterprises", "--search", "hx", "--json")  # pinyin initials
    assert [e["credit_code"] for e in json.loads(out)] == ["91360732MA35ABCD14"]


def test_inspectors_are_registered_and_listed(office, capsys):
    code, out, _ = run(capsys, *office, "inspectors", "add", "张三", "--cert", "36070001")
    assert code == 0 and "已登记检查人员 张三" in out
    code, out, _ = run(capsys, *office, "inspectors")
    assert "张三" in out and "36070001" in out and "在岗" in out


def test_number_blocks_for_laptops_refuse_overlaps(office, capsys):
    code, out, _ = run(capsys, *office, "numbers", "block", "add", "--kind", "order", "--year", "2026",
                       "--first", "1", "--last", "50", "--device", "laptop-1")
    assert code == 0 and "1–50号，分配给设备 laptop-1" in out
    code, _, err = run(capsys, *office, "numbers", "block", "add", "--kind", "order", "--year", "2026",
                       "--first", "50", "--last", "60", "--device", "laptop-2")
    assert code != 0 and err.startswith("错误：") and "重叠" in err and "Traceback" not in err
    code, out, _ = run(capsys, *office, "numbers", "block", "list", "--all", "--json")
    assert [(b["first"], b["last"], b["assigned_device_id"]) for b in json.loads(out)] == [(1, 50, "laptop-1")]


def test_the_office_database_keeps_its_device_id_across_runs(office, capsys):
    run(capsys, *office, "numbers", "block", "list")
    capsys.readouterr()
    code, out1, _ = run(capsys, *office, "numbers", "block", "list")
    code, out2, _ = run(capsys, *office, "numbers", "block", "list")
    assert out1.splitlines()[0] == out2.splitlines()[0] and "本机设备编号" in out1


def test_database_takes_only_a_server_url(data_dir, capsys, tmp_path):
    code, _, err = run(capsys, "--data-dir", str(data_dir), "--database", f"sqlite:///{tmp_path / 'x.db'}", "inspectors")
    assert code == 1 and err.startswith("错误：") and "--data-dir" in err and not (tmp_path / "x.db").exists()


# demo was the last command refused on a server; it now fills an empty office database: tests/pg/test_server_demo.py


def test_the_password_is_never_written_to_the_data_directory_or_shown(pg_cluster, data_dir, capsys):
    url = pg_cluster.create_database().replace("postgres@", "postgres:Secret-Pw1@")  # trust: any password is accepted
    code, out, err = run(capsys, "--data-dir", str(data_dir), "--database", url, "inspectors", "add", "李四")
    assert code == 0
    bad = url.replace("/t_", "/missing_")
    code, out, err = run(capsys, "--data-dir", str(data_dir), "--database", bad, "inspectors")
    assert code != 0 and "无法连接办公室数据库" in err and "Secret-Pw1" not in out + err
    for path in data_dir.rglob("*"):
        assert not path.is_file() or b"Secret-Pw1" not in path.read_bytes(), path
