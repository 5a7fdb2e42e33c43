"""文书设置: template family, this device's number blocks (号段), and the document texts a county changes.

Blocks are rows of the database (they travel by sync, so the office sees them); the
template family goes to ``settings["template_family"]`` and the texts to
``settings["document_overrides"]`` (only values that differ from the bundled defaults).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
    QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton, QRadioButton, QSpinBox, QTableView, QVBoxLayout,
)

from inspector.ui.documents.notice_view import KIND_SETTING, NoticeDialogs
from inspector.ui.table_model import Column, RowRole, RowTableModel
from inspector.ui.wheel_guard import guard_wheel

BLOCK_KINDS = ("order", "park", "record", "review")
# (dotted key in documents.yaml, label) of the texts offered here; the rest stays in the YAML file
TEXT_FIELDS = (
    ("authority.name", QT_TRANSLATE_NOOP("NumberingDialog", "Authority name")),
    ("authority.abbreviation", QT_TRANSLATE_NOOP("NumberingDialog", "Authority abbreviation (for numbers)")),
    ("authority.contact_phone", QT_TRANSLATE_NOOP("NumberingDialog", "Authority phone")),
    ("park.committee", QT_TRANSLATE_NOOP("NumberingDialog", "Park committee")),
    ("park.office", QT_TRANSLATE_NOOP("NumberingDialog", "Park safety office")),
    ("park.contact_phone", QT_TRANSLATE_NOOP("NumberingDialog", "Park office phone")),
    ("appeal.reconsideration_body", QT_TRANSLATE_NOOP("NumberingDialog", "Administrative reconsideration body")),
    ("appeal.court", QT_TRANSLATE_NOOP("NumberingDialog", "Court for administrative litigation")),
)


class NumberingDialog(QDialog):
    def __init__(self, services, parent=None):
        super().__init__(parent)
        from inspector.core.documents import load_config

        self.services = services
        self.dialogs = NoticeDialogs()
        self.defaults = load_config()
        self.setWindowTitle(self.tr("Numbers and document settings"))
        self.resize(760, 680)
        self.fields: dict[str, QLineEdit] = {}
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self._family_group())
        layout.addWidget(self._blocks_group(), 1)
        layout.addWidget(self._texts_group())
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload_blocks()
        guard_wheel(self)  # the wheel scrolls; it changes a field only the person is editing

    # --- template family ----------------------------------------------------------------------

    def _family_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Documents to issue"), self)
        self.enforcement_radio = QRadioButton(self.tr("Enforcement documents (county authority): rectification order, "
                                                      "inspection record, re-inspection opinion"), group)
        self.park_radio = QRadioButton(self.tr("Park committee's hazard rectification notice"), group)
        self.family_buttons = QButtonGroup(group)
        self.family_buttons.addButton(self.enforcement_radio)
        self.family_buttons.addButton(self.park_radio)
        family = self.services.settings.get("template_family")
        (self.enforcement_radio if family == "enforcement" else self.park_radio).setChecked(True)
        layout = QVBoxLayout(group)
        layout.addWidget(self.enforcement_radio)
        layout.addWidget(self.park_radio)
        return group

    # --- number blocks -----------------------------------------------------------------------

    def _blocks_group(self) -> QGroupBox:
        from inspector.core.documents.numbering import KIND_NAMES

        group = QGroupBox(self.tr("Number blocks"), self)
        self.device_label = QLabel(self.tr("Device ID (give it to the office to receive a block): %1")
                                   .replace("%1", self.services.db.device_id), group)
        self.device_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.all_devices = QCheckBox(self.tr("Show the blocks of every device"), group)
        self.all_devices.toggled.connect(lambda _checked: self.reload_blocks())
        this = self.services.db.device_id
        self.block_model = RowTableModel([
            Column(self.tr("Document"), lambda b: KIND_NAMES.get(b.kind, b.kind)),
            Column(self.tr("Prefix"), lambda b: b.prefix),
            Column(self.tr("Year"), lambda b: str(b.year)),
            Column(self.tr("Numbers"), lambda b: f"{b.first}–{b.last}"),
            Column(self.tr("Used"), lambda b: str(b.used)),
            Column(self.tr("Left"), lambda b: str(b.remaining)),
            Column(self.tr("Note"), lambda b: b.note),
            Column(self.tr("Device"), lambda b: self.tr("this one") if b.assigned_device_id == this
                   else b.assigned_device_id[:8], tooltip=lambda b: b.assigned_device_id),
        ], parent=self)
        self.blocks = QTableView(group)
        self.blocks.setModel(self.block_model)
        self.blocks.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.blocks.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.blocks.verticalHeader().hide()
        self.blocks.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        from inspector.ui.documents.numbering_allocate import attach

        layout = QVBoxLayout(group)
        top = QHBoxLayout()
        top.addWidget(self.device_label, 1)
        top.addWidget(self.all_devices)
        layout.addLayout(top)
        layout.addWidget(self.blocks, 1)
        layout.addLayout(self._series_row(KIND_NAMES))
        layout.addLayout(self._block_form())
        self.allocation = attach(self, layout)
        self.allocation.allocated.connect(self._allocated)
        return group

    def _allocated(self, allocation) -> None:
        if not allocation.device.this:
            self.all_devices.setChecked(True)  # the new block is another device's: show it
        self.reload_blocks()

    def _series_row(self, names: dict[str, str]) -> QHBoxLayout:
        """The series both ways of adding a block use: document kind, year, and the block's note."""
        from inspector.core.common.clock import local_today

        self.kind_box = QComboBox(self)
        for kind in BLOCK_KINDS:
            self.kind_box.addItem(names[kind], kind)
        self.year_box = self._spin(2000, 2100, local_today().year)
        self.note_edit = QLineEdit(self)
        self.note_edit.setPlaceholderText(self.tr("Note"))
        row = QHBoxLayout()
        for label, widget in ((self.tr("Document"), self.kind_box), (self.tr("Year"), self.year_box),
                              (self.tr("Note"), self.note_edit)):
            row.addWidget(QLabel(label, self))
            row.addWidget(widget, 1 if widget is self.note_edit else 0)
        return row

    def _block_form(self) -> QHBoxLayout:
        self.first_box = self._spin(1, 999_999, 1)
        self.last_box = self._spin(1, 999_999, 50)
        self.add_button = QPushButton(self.tr("Add block"), self)
        self.add_button.clicked.connect(self.add_block)
        self.remove_button = QPushButton(self.tr("Withdraw block"), self)
        self.remove_button.clicked.connect(self.remove_block)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("For this device, from"), self))
        for widget in (self.first_box, QLabel(self.tr("To"), self), self.last_box, self.add_button):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.remove_button)
        return row

    def _spin(self, low: int, high: int, value: int) -> QSpinBox:
        box = QSpinBox(self)
        box.setRange(low, high)
        box.setValue(value)
        return box

    def reload_blocks(self) -> None:
        from inspector.core.documents.numbering import list_blocks

        every = self.all_devices.isChecked()
        self.block_model.set_rows(list_blocks(self.services.db, None if every else self.services.db.device_id))

    def add_block(self) -> bool:
        from inspector.core.documents.numbering import add_block, series_prefix
        from inspector.errors import UserError

        kind = self.kind_box.currentData()
        try:
            prefix = series_prefix(self._config_from_fields(), kind)
            add_block(self.services.db, kind=kind, prefix=prefix, year=self.year_box.value(),
                      first=self.first_box.value(), last=self.last_box.value(), note=self.note_edit.text())
        except UserError as error:
            self.error_label.setText(error.message)
            return False
        self.error_label.clear()
        self.reload_blocks()
        return True

    def remove_block(self) -> None:
        from inspector.core.documents.numbering import remove_block

        rows = self.blocks.selectionModel().selectedRows()
        if not rows:
            return
        block = rows[0].data(RowRole)
        question = self.tr("Withdraw the block %1? Numbers already used stay used.").replace(
            "%1", f"{block.prefix}〔{block.year}〕{block.first}–{block.last}")
        if self.dialogs.confirm(self, self.tr("Withdraw block"), question, self.tr("Withdraw")):
            remove_block(self.services.db, block.id)
            self.reload_blocks()

    # --- document texts ----------------------------------------------------------------------

    def _texts_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Texts printed on the documents"), self)
        form = QFormLayout(group)
        current = self._current_config()
        for dotted, label in TEXT_FIELDS:
            edit = QLineEdit(_value(current, dotted), group)
            edit.setPlaceholderText(_value(self.defaults, dotted))
            self.fields[dotted] = edit
            form.addRow(self.tr(label), edit)
        return group

    def _current_config(self):
        from inspector.core.documents.notices import document_config
        from inspector.errors import UserError

        try:
            return document_config(self.services)
        except UserError as error:  # damaged overrides: show the defaults, say why
            self.error_label.setText(error.message)
            return self.defaults

    def overrides(self) -> dict:
        """Existing overrides with the edited texts merged in (defaults are not stored)."""
        import copy

        result = copy.deepcopy(self.services.settings.get("document_overrides") or {})
        for dotted, edit in self.fields.items():
            section, key = dotted.split(".")
            value = edit.text().strip()
            if value and value != _value(self.defaults, dotted):
                result.setdefault(section, {})[key] = value
            elif section in result:
                result[section].pop(key, None)
                if not result[section]:
                    del result[section]
        return result

    def _config_from_fields(self):
        from inspector.core.documents import load_config

        return load_config(overrides=self.overrides())

    def save(self) -> None:
        from inspector.errors import UserError

        try:
            overrides = self.overrides()
            self._config_from_fields()
        except UserError as error:
            self.error_label.setText(error.message)
            return
        settings = self.services.settings
        settings.set("document_overrides", overrides)
        family = "enforcement" if self.enforcement_radio.isChecked() else "park"
        if family != settings.get("template_family"):
            settings.set(KIND_SETTING, None)  # the kind remembered from the other family no longer applies
        settings.set("template_family", family)
        self.accept()


def _value(config, dotted: str) -> str:
    section, key = dotted.split(".")
    return str(getattr(getattr(config, section), key))
