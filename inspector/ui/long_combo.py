"""Combo boxes that list thousands of entries (a county's 4,000 enterprises) without measuring them all.

By default a QComboBox sizes itself to its widest item, and its popup lays out every item to size it:
at 4,000 enterprise names that is 0.3–2 s of text shaping on the GUI thread each time the list is
filled (a combo that follows its items re-measures all of them at every item added). A long combo is
as wide as ``chars`` characters."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

LONG_COMBO_CHARS = 28


def make_long(combo: QComboBox, chars: int = LONG_COMBO_CHARS) -> QComboBox:
    """Size ``combo`` by ``chars`` characters instead of by its items."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo
