"""月度分析: pick a month; figures, two charts, the most failed items and repeat enterprises;
"Export PDF report…" writes the same analysis as a PDF (ReportLab) in the background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableView, QVBoxLayout,
    QWidget,
)

from inspector.ui.reports.analysis_charts import BarChart, LineChart
from inspector.ui.loop_common import OVERDUE_COLOUR, LoopDialogs, error_text
from inspector.ui.table_model import Column, RowTableModel
from inspector.ui.wheel_guard import guard_wheel

FOUND_COLOUR, CLOSED_COLOUR = QColor("#1f4e79"), QColor("#e69138")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _months(db):
    from inspector.core.reports.analysis import months_with_data

    return months_with_data(db)


def _analyse(db, month):
    from inspector.core.reports.analysis_snapshot import analysis_for

    return analysis_for(db, month).analysis  # a closed month shows what was stored


def _write_report(services, month, path: str) -> str:
    from inspector.core.reports.analysis_report import render_analysis_pdf
    from inspector.core.reports.analysis_snapshot import analysis_for
    from inspector.core.reports.ledger_export import replacing_file, reporting_unit

    pdf = render_analysis_pdf(analysis_for(services.db, month), issuer=reporting_unit(services))
    with replacing_file(Path(path)) as temporary:
        temporary.write_bytes(pdf)
    return path


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


class AnalysisView(QWidget):
    analysis_shown = Signal()
    report_exported = Signal(str)

    def __init__(self, services, tasks, parent=None):
        super().__init__(parent)
        self.services, self.tasks = services, tasks
        self.dialogs = LoopDialogs()
        self.analysis = None
        self._build()
        guard_wheel(self)  # the wheel scrolls; it changes a field only the person is editing

    def _build(self) -> None:
        self.month_box = QComboBox(self)
        self.month_box.currentIndexChanged.connect(self._month_changed)
        self.export_button = QPushButton(self.tr("Export PDF report…"), self)
        self.export_button.clicked.connect(self.export_report)
        self.export_button.setEnabled(False)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.bars = BarChart(self)
        self.line = LineChart(self)
        self.items_model = RowTableModel([
            Column(self.tr("Item"), lambda i: i.item_id),
            Column(self.tr("Sector"), lambda i: i.sector),
            Column(self.tr("Times failed"), lambda i: str(i.count), align=RIGHT),
            Column(self.tr("Enterprises"), lambda i: str(i.enterprises), align=RIGHT),
            Column(self.tr("Check"), lambda i: i.text, tooltip=lambda i: i.text),
        ], parent=self)
        self.repeats_model = RowTableModel([
            Column(self.tr("Enterprise"), lambda r: r.name),
            Column(self.tr("Sector"), lambda r: r.sector),
            Column(self.tr("Inspections"), lambda r: str(r.inspections), align=RIGHT),
            Column(self.tr("Items failed again"), lambda r: "、".join(r.items), tooltip=lambda r: "、".join(r.items)),
        ], parent=self)
        self.message = QLabel(self)
        self._arrange()

    def _table(self, model) -> QTableView:
        table = QTableView(self)
        table.setModel(model)
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        last = model.columnCount() - 1
        table.horizontalHeader().setSectionResizeMode(last, QHeaderView.ResizeMode.Interactive)
        table.setWordWrap(False)
        return table

    def _arrange(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Month"), self))
        top.addWidget(self.month_box)
        top.addStretch(1)
        top.addWidget(self.export_button)
        grid = QGridLayout()
        grid.addWidget(self.bars, 0, 0)
        grid.addWidget(self.line, 0, 1)
        grid.addWidget(QLabel(self.tr("Most frequently failed checklist items"), self), 1, 0)
        grid.addWidget(QLabel(self.tr("Enterprises with repeat hazards"), self), 1, 1)
        grid.addWidget(self._table(self.items_model), 2, 0)
        grid.addWidget(self._table(self.repeats_model), 2, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(2, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(grid, 1)
        layout.addWidget(self.message)

    # --- data -------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.tasks.submit(_months, self.services.db, on_done=self._set_months, on_error=self._failed)

    def _set_months(self, months) -> None:
        current = self.month_box.currentData()
        self.month_box.blockSignals(True)
        self.month_box.clear()
        for month in months:
            self.month_box.addItem(self.tr("%1-%2").replace("%1", str(month.year)).replace("%2", f"{month.month:02d}"),
                                   month)
        index = self.month_box.findData(current) if current else 0
        self.month_box.setCurrentIndex(max(0, index))
        self.month_box.blockSignals(False)
        self._month_changed()

    def select_month(self, month) -> None:
        index = self.month_box.findData(month)
        if index >= 0:
            self.month_box.setCurrentIndex(index)

    def _month_changed(self) -> None:
        month = self.month_box.currentData()
        if month is not None:
            self.tasks.submit(_analyse, self.services.db, month, on_done=self.show_analysis, on_error=self._failed)

    def show_analysis(self, analysis) -> None:
        self.analysis = analysis
        self.summary.setText(self._summary(analysis))
        self.bars.set_data(self.tr("Hazards found and closed this month, by sector"),
                           [_short(s.sector) for s in analysis.sectors[:10]],
                           [(self.tr("Found"), FOUND_COLOUR, [s.found for s in analysis.sectors[:10]]),
                            (self.tr("Closed"), CLOSED_COLOUR, [s.closed for s in analysis.sectors[:10]])])
        self.line.set_data(self.tr("Overdue hazards at the end of each month") if analysis.complete
                           else self.tr("Overdue hazards at the end of each month (this month: today)"),
                           [self.tr("Month %1").replace("%1", str(m.month)) for m, _ in analysis.overdue_trend], [n for _, n in analysis.overdue_trend])
        self.items_model.set_rows(analysis.top_items)
        self.repeats_model.set_rows(analysis.repeats)
        self.export_button.setEnabled(True)
        self.analysis_shown.emit()

    def _summary(self, a) -> str:
        """The month's figures; a month not yet over is counted through today, and says so."""
        trend = a.overdue_trend[-1][1] if a.overdue_trend else 0
        text = (self.tr("Found %1 hazards (%2 major), closed %3 (%4 major). Rectification rate of this month's "
                        "hazards: %5; cumulative: %6. Overdue at the month's end: %7.") if a.complete else
                self.tr("Through %8: found %1 hazards (%2 major), closed %3 (%4 major). Rectification rate of this "
                        "month's hazards: %5; cumulative: %6. Overdue today: %7.")
                .replace("%8", a.counted_through.isoformat()))
        return (text.replace("%1", str(a.found)).replace("%2", str(a.found_major)).replace("%3", str(a.closed))
                .replace("%4", str(a.closed_major)).replace("%5", percent(a.rectification_rate))
                .replace("%6", percent(a.cumulative_rate)).replace("%7", str(trend)))

    def export_report(self) -> None:
        if self.analysis is None:
            return
        name = self.tr("hazard-analysis-%1.pdf").replace("%1", self.analysis.month.strftime("%Y-%m"))
        path = self.dialogs.save_path(self, self.tr("Export PDF report"), name, self.tr("PDF (*.pdf)"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.export_button.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(self.tr("Writing the report…"))
        self.tasks.submit(_write_report, self.services, self.analysis.month, path, on_done=self._exported, on_error=self._failed)

    def _exported(self, path: str) -> None:
        self.export_button.setEnabled(True)
        self.message.setText(self.tr("Report saved: %1").replace("%1", path))
        self.report_exported.emit(path)

    def _failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(self.analysis is not None)
        self.message.setStyleSheet(f"color: {OVERDUE_COLOUR.name()};")
        self.message.setText(error_text(error))


def _short(sector: str) -> str:
    from inspector.core.reports.analysis_pdf_charts import short_sector

    return short_sector(sector)
