"""The wheel over an unfocused date, spin or combo box changes nothing in the hazard window, the 复查 tab,
文书设置, the export, ledger and analysis dialogs (the walk-through and record forms have their own tests)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget

from inspector.ui.application import create_application
from inspector.ui.tasks import TaskRunner
from tests.loop_helpers import make_site
from tests.ui.walkthrough.person import wheel


def _values(root: QWidget) -> list:
    fields = [w for w in root.findChildren(QWidget) if isinstance(w, (QAbstractSpinBox, QComboBox))]
    return [(w.objectName() or type(w).__name__, w.text() if isinstance(w, QAbstractSpinBox) else w.currentIndex())
            for w in fields]


def _turn_every_wheel(qtbot, root: QWidget) -> None:
    fields = [w for w in root.findChildren(QWidget) if isinstance(w, (QAbstractSpinBox, QComboBox)) and w.isEnabled()]
    assert fields, "the form has no date, spin or combo box"
    root.setFocus()
    for field in fields:
        wheel(field, 3)
        wheel(field, -5)


def _build(kind: str, services, site):
    tasks = TaskRunner()
    if kind == "hazard":
        from inspector.ui.loop.hazard_view import HazardView

        view = HazardView(services, tasks)
        view.show_hazard(site.finding_ids[0])
        return view, lambda: view.detail is not None
    if kind == "reinspection":
        from inspector.ui.loop.reinspection_view import ReinspectionView

        view = ReinspectionView(services, tasks)
        view.refresh()  # as the main window does when the tab is opened
        return view, lambda: view.enterprise_box.count() > 0
    if kind == "numbering":
        from inspector.ui.documents.numbering_dialog import NumberingDialog

        return NumberingDialog(services), lambda: True
    if kind == "ledger":
        from inspector.ui.reports.ledger_dialog import LedgerDialog

        view = LedgerDialog(services, tasks)
        return view, lambda: view.sector_box.count() > 1
    from inspector.ui.sync.export_dialog import ExportDialog

    view = ExportDialog(services, tasks)
    view.by_date.setChecked(True)
    return view, lambda: view.enterprise.count() > 1


@pytest.mark.parametrize("kind", ["hazard", "reinspection", "numbering", "ledger", "export"])
def test_the_wheel_over_unfocused_fields_changes_nothing(qtbot, services, kind):
    create_application()
    site = make_site(services.db, hazards=2)
    view, ready = _build(kind, services, site)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(ready, timeout=10000)
    before = _values(view)
    _turn_every_wheel(qtbot, view)
    assert _values(view) == before
