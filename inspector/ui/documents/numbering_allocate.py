"""文书设置's "allocate the next N numbers to a device" row: pick the laptop, type N, one button; the block the
database gave is shown (第 51–100 号). The kind and year are the dialog's own boxes. The allocation runs as a
background task: on the office server it may wait for another PC that is allocating or merging at that moment.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSpinBox

from inspector.ui.tasks import TaskRunner


def allocate_task(db, kind: str, prefix: str, year: int, count: int, device: str, note: str):
    from inspector.core.documents.number_devices import allocate_for_device

    return allocate_for_device(db, kind=kind, prefix=prefix, year=year, count=count, device=device, note=note)


def devices_task(db):
    from inspector.core.documents.number_devices import known_devices

    return known_devices(db)


def device_text(device) -> str:
    """How a device is named in the list: its short id, whose it is, when it was last seen."""
    from PySide6.QtCore import QCoreApplication

    from inspector.core.common.clock import format_local

    if device.this:
        return QCoreApplication.translate("BlockAllocation", "This database (%1)").replace("%1", device.short)
    parts = [device.short]
    if device.inspectors:
        parts.append("、".join(device.inspectors[:3]) + ("…" if len(device.inspectors) > 3 else ""))
    if device.last_seen is not None:
        seen = format_local(device.last_seen, with_time=False)
        parts.append(QCoreApplication.translate("BlockAllocation", "last seen %1").replace("%1", seen))
    return " — ".join(parts)


class BlockAllocation(QObject):
    """The widgets of the row (built by the dialog into its layout) and what they do."""

    allocated = Signal(object)  # an Allocation, after the database stored it

    def __init__(self, dialog):
        super().__init__(dialog)
        from inspector.core.documents.numbering import MAX_BLOCK_SIZE

        self.dialog, self.tasks = dialog, TaskRunner(self)
        self.device_box = QComboBox(dialog)
        self.device_box.setEditable(True)  # a device id given by a laptop may be typed or pasted
        self.device_box.setMinimumContentsLength(28)
        self.device_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.device_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.device_box.lineEdit().setPlaceholderText(self.tr("Device ID"))
        self.count_box = QSpinBox(dialog)
        self.count_box.setRange(0, MAX_BLOCK_SIZE)  # 0 can be typed: the refusal says why, the box does not hide it
        self.count_box.setValue(50)
        self.button = QPushButton(self.tr("Allocate next numbers"), dialog)
        self.button.clicked.connect(self.allocate)
        self.result = QLabel(dialog)
        self.result.setWordWrap(True)
        self.result.setStyleSheet("color: #2e7d32;")
        self.devices: list = []

    def row(self) -> QHBoxLayout:
        layout = QHBoxLayout()
        layout.addWidget(QLabel(self.tr("For device"), self.dialog))
        layout.addWidget(self.device_box, 1)
        layout.addWidget(QLabel(self.tr("Count"), self.dialog))
        layout.addWidget(self.count_box)
        layout.addWidget(self.button)
        return layout

    def reload_devices(self) -> None:
        self.tasks.submit(devices_task, self.dialog.services.db, on_done=self._show_devices, on_error=self._failed)

    def _show_devices(self, devices) -> None:
        chosen = self.device_box.currentData()
        self.devices = devices
        self.device_box.clear()
        for device in devices:
            self.device_box.addItem(device_text(device), device.id)
        index = self.device_box.findData(chosen) if chosen else -1
        self.device_box.setCurrentIndex(index if index >= 0 else (1 if len(devices) > 1 else 0))

    def typed_device(self) -> str:
        """The chosen device's id, or what was typed when it names no list entry."""
        text = self.device_box.currentText().strip()
        index = self.device_box.findText(text)
        return self.device_box.itemData(index) if index >= 0 else text

    def allocate(self) -> None:
        from inspector.core.documents.numbering import series_prefix
        from inspector.errors import UserError

        dialog = self.dialog
        kind = dialog.kind_box.currentData()
        try:
            prefix = series_prefix(dialog._config_from_fields(), kind)
        except UserError as error:
            dialog.error_label.setText(error.message)
            return
        self.result.setFocus()  # disabling the focused button would hand its focus (and the next keys) to the
        self.button.setEnabled(False)  # next field: the authority's name every document prints, text selected
        self.result.setText(self.tr("Allocating…"))
        dialog.error_label.clear()
        self.tasks.submit(allocate_task, dialog.services.db, kind, prefix, dialog.year_box.value(),
                          self.count_box.value(), self.typed_device(), dialog.note_edit.text(),
                          on_done=self._done, on_error=self._failed)

    def _answered(self) -> None:
        self.button.setEnabled(True)
        if self.result.hasFocus():  # nobody clicked elsewhere meanwhile: back where the person pressed
            self.button.setFocus()

    def _done(self, allocation) -> None:
        self._answered()
        owner = (self.tr("this database") if allocation.device.this else device_text(allocation.device))
        self.result.setText(self.tr("Allocated %1〔%2〕No. %3–%4 to %5.").replace("%1", allocation.prefix)
                            .replace("%2", str(allocation.year)).replace("%3", str(allocation.first))
                            .replace("%4", str(allocation.last)).replace("%5", owner))
        self.allocated.emit(allocation)
        self.reload_devices()

    def _failed(self, error) -> None:
        self._answered()
        self.result.clear()
        text = getattr(error, "message", None) or self.tr("Unexpected error: %1").replace("%1", str(error))
        self.dialog.error_label.setText(text)

    def wait(self) -> None:
        self.tasks.wait()


def attach(dialog, layout) -> BlockAllocation:
    """Add the row and its result line to ``layout`` (the dialog's blocks group)."""
    allocation = BlockAllocation(dialog)
    layout.addLayout(allocation.row())
    layout.addWidget(allocation.result)
    allocation.reload_devices()
    return allocation

