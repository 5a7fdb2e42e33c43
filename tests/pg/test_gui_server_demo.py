"""载入演示数据 on the office database: the start page of an empty server offers the demo as on a laptop, the
question names the office database, and the demo lands on the server; a server with records refuses in
one sentence and keeps what it had."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import text

from inspector.ui.application import create_application, open_main_window
from tests.pg.test_server_demo import counts
from tests.ui.walkthrough.person import LEFT, click


def answer_next_box(qtbot, button_text: str, seen: list) -> None:
    """When the next question appears, note its text and press the button labelled ``button_text``."""
    def press():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return QTimer.singleShot(20, press)
        seen.append(box.text())
        wanted = [button for button in box.buttons() if button.text() == button_text]
        qtbot.mouseClick((wanted or box.buttons())[0], LEFT)

    QTimer.singleShot(0, press)


@pytest.fixture
def errors(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda parent, title, text, *a, **k: shown.append(text)))
    return shown


@pytest.fixture
def office(pg_url, data_dir):
    from inspector.services import Services

    services = Services(data_dir, database_url=pg_url)
    yield services
    services.close()


def records(office) -> dict[str, int]:
    """Rows per table, but local_meta (the window's scheduled backup notes its time there)."""
    return {table: count for table, count in counts(office.db).items() if table != "local_meta"}


def open_window(qtbot, services):
    create_application()
    window = open_main_window(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.setup.state is not None, timeout=20000)
    return window


def test_the_empty_office_databases_start_page_loads_the_demo_onto_the_server(qtbot, office, errors):
    window = open_window(qtbot, office)
    page = window.setup.start_page
    qtbot.waitUntil(page.isVisible, timeout=10000)
    # the office database is not "this laptop": the page says which records are missing
    assert "办公室数据库" in page.title.text() and "本机" not in page.title.text() + page.hint.text()
    asked: list[str] = []
    answer_next_box(qtbot, "载入", asked)
    with qtbot.waitSignal(window.setup.demo_loaded, timeout=120000) as loaded:
        click(qtbot, page.buttons["demo"])
    [question] = asked
    assert "办公室数据库" in question and "培训" in question and office.database_url.split("@")[-1][:8] in question
    result = loaded.args[0]
    stored = counts(office.db)
    assert (stored["enterprise"], stored["inspection"], stored["notice"]) == \
        (result.enterprises, result.inspections, result.documents) and result.documents > 0
    dashboard = window.closed_loop.dashboard
    qtbot.waitUntil(lambda: not page.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: dashboard.board is not None and all(dashboard.board.counts.values()), timeout=20000)
    window.tasks.wait()
    assert errors == []


def test_an_office_database_with_records_refuses_the_demo_in_one_sentence(qtbot, office, errors):
    from inspector.core.records.enterprises import create_enterprise

    create_enterprise(office.db, name="兴国县宏达冷链物流有限公司")
    before = records(office)
    window = open_window(qtbot, office)
    answer_next_box(qtbot, "载入", [])
    window.setup.demo_action.trigger()  # 帮助 → 载入演示数据…
    qtbot.waitUntil(lambda: bool(errors), timeout=30000)
    window.tasks.wait()
    [sentence] = errors
    assert sentence.startswith("办公室数据库中已有数据（企业 1 家）") and "未写入任何数据" in sentence
    assert records(office) == before
    with office.db.engine.connect() as connection:
        assert connection.execute(text("SELECT name FROM enterprise")).scalars().all() == ["兴国县宏达冷链物流有限公司"]
