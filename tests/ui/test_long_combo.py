"""A combo box of a county's enterprises (thousands): sized by characters, not by measuring every entry
(a combo that follows its items re-measures all of them at each one added), and still fully usable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QVBoxLayout, QWidget

from inspector.ui.long_combo import make_long

NAMES = [f"兴国县第{n}号稀土新材料与精密制造股份有限公司" for n in range(3000)]


def _combo(qtbot, long: bool) -> tuple[QWidget, QComboBox]:
    page = QWidget()
    qtbot.addWidget(page)
    combo = QComboBox(page)
    QVBoxLayout(page).addWidget(combo)
    if long:
        make_long(combo, 12)
    else:  # what a lazily built tab's combo did: follow its items (its width grows with the longest name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.addItem("全部", None)
    page.show()
    combo.width_before = combo.sizeHint().width()
    for n, name in enumerate(NAMES):
        combo.addItem(name, n)
    return page, combo


def test_a_long_combo_keeps_its_width_and_every_entry_can_be_chosen(qtbot):
    _page, combo = _combo(qtbot, long=True)
    assert combo.sizeHint().width() == combo.width_before  # the 3,000 names were not measured
    assert combo.sizeHint().width() < combo.fontMetrics().horizontalAdvance(NAMES[0])
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_End)  # the last enterprise, by keyboard
    assert combo.currentText() == NAMES[-1] and combo.currentData() == len(NAMES) - 1
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    assert combo.currentData() is None

