"""治理信息 of a hazard: entered through the CLI, kept as entered, printed in the ledger."""

from __future__ import annotations

import pytest

from inspector.cli import main
from inspector.core.loop.governance import load_governance, update_governance
from inspector.core.reports.ledger import ledger_rows
from inspector.errors import UserError
from tests.loop_helpers import make_site


def test_governance_through_the_cli_reaches_the_ledger(services, data_dir, capsys):
    site = make_site(services.db, hazards=2, levels=("general", "major"))
    major = site.finding_ids[1]
    services.close()
    code = main(["--data-dir", str(data_dir), "hazard", "govern", major, "--interim", "停止使用除尘系统，设置警戒区",
                 "--plan", "更换泄爆片，加装锁气卸灰装置", "--funds", "3.5万元", "--responsible", "钟国平",
                 "--phone", "13907970001", "--supervision", "县级挂牌督办", "--enforcement", "已立案 兴应急罚〔2026〕3号"])
    out = capsys.readouterr().out
    assert code == 0 and "治理信息已更新" in out and "县级挂牌督办" in out
    from inspector.services import Services

    again = Services(data_dir)
    try:
        row = next(r for r in ledger_rows(again.db, with_photos=False) if r.finding_id == major)
    finally:
        again.close()
    assert (row.interim_measures, row.governance_plan, row.governance_funds) == (
        "停止使用除尘系统，设置警戒区", "更换泄爆片，加装锁气卸灰装置", "3.5万元")
    assert row.responsible == "钟国平　13907970001" and row.supervision == "县级挂牌督办"
    assert row.enforcement.startswith("已立案")


def test_a_major_hazard_needs_interim_measures_before_a_plan(services):
    site = make_site(services.db, hazards=2, levels=("general", "major"))
    general, major = site.finding_ids
    with pytest.raises(UserError, match="临时管控措施"):
        update_governance(services.db, major, governance_plan="整改")
    assert update_governance(services.db, general, governance_plan="整改") is True
    assert update_governance(services.db, general, governance_plan="整改") is False  # nothing changed
    with pytest.raises(UserError, match="过长"):
        update_governance(services.db, general, remarks="长" * 501)
    with pytest.raises(UserError, match="控制字符"):
        update_governance(services.db, general, remarks="a\x00b")
    assert load_governance(services.db, general).remarks == ""


def test_unknown_hazard_is_one_line(data_dir, capsys):
    code = main(["--data-dir", str(data_dir), "hazard", "govern", "nope", "--plan", "x"])
    err = capsys.readouterr().err
    assert code != 0 and err.startswith("错误：") and len(err.strip().splitlines()) == 1
