"""首次设置: the office and authority names, this laptop's inspectors with their 执法证号, its number
blocks (号段). Offered once on a new installation, skippable, reopened from 帮助 → 首次设置.

Names go to ``settings["document_overrides"]`` like the 文书设置 dialog's; inspectors and blocks
are database rows (they travel by sync). Saving applies each part and keeps the dialog open
with one Chinese sentence when a part is refused, so nothing typed is lost.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QPushButton, QScrollArea, QSpinBox, QVBoxLayout, QWidget,
)

DONE_KEY = "first_run_done"
NAME_FIELDS = (("park.committee", "committee"), ("park.office", "office"), ("authority.name", "authority"))
FAMILY_KINDS = {"park": ("park",), "enforcement": ("order", "record", "review")}


def first_run_due(settings) -> bool:
    return not settings.get(DONE_KEY)


class FirstRunDialog(QDialog):
    setup_saved = Signal()

    def __init__(self, services, parent=None):
        super().__init__(parent)
        self.services = services
        self.setObjectName("FirstRunDialog")
        self.setWindowTitle(self.tr("First-run setup"))
        self.pending_inspectors: list[tuple[str, str]] = []
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self._intro())
        body_layout.addWidget(self._names_group())
        body_layout.addWidget(self._inspectors_group())
        body_layout.addWidget(self._blocks_group())
        body_layout.addStretch(1)
        scroll = QScrollArea(self)  # fits a 1280×720 screen whatever the font
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.save_button = self._button(self.tr("Save and start"), self.save)
        self.skip_button = self._button(self.tr("Skip for now"), self.skip)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.skip_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.resize(720, 640)
        self._load()

    def _button(self, text: str, slot) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)  # Enter in a field never submits the whole dialog
        button.clicked.connect(slot)
        return button

    def _intro(self) -> QLabel:
        label = QLabel(self.tr("Three short steps make this laptop ready for the field. Everything here can be "
                               "changed later (Help → First-run setup, Documents → Numbers and document settings)."), self)
        label.setWordWrap(True)
        return label

    # --- office and authority -------------------------------------------------------------------

    def _names_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("1. Office and authority"), self)
        form = QFormLayout(group)
        labels = {"committee": self.tr("Park committee"), "office": self.tr("Safety office of the park"),
                  "authority": self.tr("Enforcement authority")}
        self.names: dict[str, QLineEdit] = {}
        for _dotted, key in NAME_FIELDS:
            self.names[key] = QLineEdit(group)
            form.addRow(labels[key], self.names[key])
        self.family = QComboBox(group)
        self.family.addItem(self.tr("Park committee's rectification notices"), "park")
        self.family.addItem(self.tr("Enforcement documents of the county authority"), "enforcement")
        self.family.currentIndexChanged.connect(self._show_block_rows)
        form.addRow(self.tr("This laptop issues"), self.family)
        return group

    # --- inspectors -----------------------------------------------------------------------------

    def _inspectors_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("2. Inspectors working on this laptop"), self)
        self.inspector_list = QListWidget(group)
        self.inspector_list.setMaximumHeight(110)
        self.inspector_name = QLineEdit(group)
        self.inspector_name.setPlaceholderText(self.tr("Name"))
        self.inspector_cert = QLineEdit(group)
        self.inspector_cert.setPlaceholderText(self.tr("Enforcement certificate no. (执法证号)"))
        self.inspector_name.returnPressed.connect(self.inspector_cert.setFocus)
        self.inspector_cert.returnPressed.connect(self.add_inspector)
        self.add_inspector_button = self._button(self.tr("Add"), self.add_inspector)
        row = QHBoxLayout()
        row.addWidget(self.inspector_name, 1)
        row.addWidget(self.inspector_cert, 2)
        row.addWidget(self.add_inspector_button)
        layout = QVBoxLayout(group)
        layout.addWidget(self.inspector_list)
        layout.addLayout(row)
        note = QLabel(self.tr("Enforcement documents need two inspectors with certificate numbers."), group)
        note.setWordWrap(True)
        layout.addWidget(note)
        return group

    def add_inspector(self) -> None:
        name, cert = self.inspector_name.text().strip(), self.inspector_cert.text().strip()
        if not name:
            self.message.setText(self.tr("Type the inspector's name first."))
            self.inspector_name.setFocus()
            return
        self.pending_inspectors.append((name, cert))
        self.inspector_list.addItem(self._inspector_text(name, cert))
        self.inspector_name.clear()
        self.inspector_cert.clear()
        self.message.clear()
        self.inspector_name.setFocus()

    def _inspector_text(self, name: str, cert: str) -> str:
        detail = self.tr("Certificate no. %1").replace("%1", cert) if cert else self.tr("no certificate no.")
        return name + "　" + detail

    # --- number blocks --------------------------------------------------------------------------

    def _blocks_group(self) -> QGroupBox:
        from inspector.core.common.clock import local_today
        from inspector.core.documents.numbering import KIND_NAMES

        self.year = local_today().year
        group = QGroupBox(self.tr("3. Document numbers of this laptop (%1)").replace("%1", str(self.year)), self)
        explain = QLabel(self.tr("The office hands every laptop its own block of numbers per document and year "
                                 "(for example 1–50 to this laptop, 51–100 to the next), so documents issued "
                                 "offline never share a number; ask the office for this laptop's block and "
                                 "leave it empty until you know it."), group)
        explain.setWordWrap(True)
        self.device_label = QLabel(group)
        self.device_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.block_grid = QGridLayout()
        self.block_rows: dict[str, tuple[QLabel, QSpinBox, QSpinBox]] = {}
        for row, kind in enumerate(("park", "order", "record", "review")):
            label = QLabel(KIND_NAMES[kind], group)
            first, last = self._spin(group), self._spin(group)
            self.block_rows[kind] = (label, first, last)
            self.block_grid.addWidget(label, row, 0)
            self.block_grid.addWidget(QLabel(self.tr("from"), group), row, 1)
            self.block_grid.addWidget(first, row, 2)
            self.block_grid.addWidget(QLabel(self.tr("to"), group), row, 3)
            self.block_grid.addWidget(last, row, 4)
        self.block_grid.setColumnStretch(5, 1)
        layout = QVBoxLayout(group)
        layout.addWidget(explain)
        layout.addWidget(self.device_label)
        layout.addLayout(self.block_grid)
        return group

    def _spin(self, parent) -> QSpinBox:
        from inspector.ui.number_box import NumberBox

        box = NumberBox(parent)
        box.setRange(0, 999_999)
        box.setSpecialValueText(self.tr("not set"))
        box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel over an unfocused box changes nothing
        return box

    def _show_block_rows(self) -> None:
        kinds = FAMILY_KINDS[self.family.currentData()]
        for index, (kind, widgets) in enumerate(self.block_rows.items()):
            for column in range(5):
                item = self.block_grid.itemAtPosition(index, column)
                if item is not None and item.widget() is not None:
                    item.widget().setVisible(kind in kinds)

    # --- loading and saving ---------------------------------------------------------------------

    def _load(self) -> None:
        from inspector.core.documents.notices import document_config
        from inspector.core.documents.numbering import list_blocks
        from inspector.core.records.inspectors import list_inspectors
        from inspector.errors import UserError

        db, settings = self.services.db, self.services.settings
        try:
            config = document_config(self.services)
        except UserError as error:
            from inspector.core.documents import load_config

            config, _ = load_config(), self.message.setText(error.message)
        for dotted, key in NAME_FIELDS:
            section, field = dotted.split(".")
            self.names[key].setText(str(getattr(getattr(config, section), field)))
        self.family.setCurrentIndex(max(0, self.family.findData(settings.get("template_family"))))
        self._show_block_rows()
        for inspector in list_inspectors(db):
            self.inspector_list.addItem(self._inspector_text(inspector.name, inspector.certificate_no))
        self.device_label.setText(self.tr("This laptop's device ID (tell the office): %1").replace("%1", db.device_id))
        for block in list_blocks(db, db.device_id):
            if block.year == self.year and block.kind in self.block_rows:
                _, first, last = self.block_rows[block.kind]
                first.setValue(block.first)
                last.setValue(block.last)
                first.setEnabled(False)
                last.setEnabled(False)

    def save(self) -> bool:
        from inspector.errors import UserError

        try:
            self._save_names()
            self._save_inspectors()
            self._save_blocks()
        except UserError as error:
            self.message.setText(error.message)
            return False
        self.services.settings.set(DONE_KEY, True)
        self.setup_saved.emit()
        self.accept()
        return True

    def skip(self) -> None:
        self.services.settings.set(DONE_KEY, True)
        self.reject()

    def _save_names(self) -> None:
        import copy

        from inspector.core.documents import load_config

        defaults = load_config()
        overrides = copy.deepcopy(self.services.settings.get("document_overrides") or {})
        for dotted, key in NAME_FIELDS:
            section, field = dotted.split(".")
            value = self.names[key].text().strip()
            if value and value != str(getattr(getattr(defaults, section), field)):
                overrides.setdefault(section, {})[field] = value
            elif field in overrides.get(section, {}):
                del overrides[section][field]
        load_config(overrides=overrides)  # refuses a bad value before anything is stored
        self.services.settings.set("document_overrides", overrides)
        self.services.settings.set("template_family", self.family.currentData())

    def _save_inspectors(self) -> None:
        from inspector.core.records.inspectors import add_inspector

        if self.inspector_name.text().strip():
            self.add_inspector()  # typed but not added yet: keep it
        while self.pending_inspectors:
            name, cert = self.pending_inspectors[0]
            add_inspector(self.services.db, name=name, certificate_no=cert)
            self.pending_inspectors.pop(0)

    def _save_blocks(self) -> None:
        from inspector.core.documents.notices import document_config
        from inspector.core.documents.numbering import add_block, series_prefix
        from inspector.errors import UserError

        config = document_config(self.services)
        for kind in FAMILY_KINDS[self.family.currentData()]:
            _, first, last = self.block_rows[kind]
            if not first.isEnabled() or (first.value() == 0 and last.value() == 0):
                continue  # already set, or left for later
            if first.value() == 0 or last.value() < first.value():
                raise UserError(self.tr("The numbers %1–%2 are not a block: the first must be 1 or more and the "
                                        "last not below it.").replace("%1", str(first.value()))
                                .replace("%2", str(last.value())))
            add_block(self.services.db, kind=kind, prefix=series_prefix(config, kind), year=self.year,
                      first=first.value(), last=last.value(), note="首次设置")
            first.setEnabled(False)
            last.setEnabled(False)
