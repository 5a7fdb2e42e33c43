"""The xlsx ledger's data rows (streamed by xlsx_rows into XlsxWriter's package) read back as real
cells with XlsxWriter's formats: red bold major hazards, wrapped long texts, real dates, text never a
formula, leading spaces kept, and the sheet's dimension and filter covering every row."""

from datetime import date, datetime

from inspector.core.reports.ledger import HEADERS, LedgerFilter, LedgerPhoto, LedgerRow
from inspector.core.reports.ledger_xlsx import HEADER_ROW, write_xlsx


def _row(n: int, level: str, description: str) -> LedgerRow:
    row = LedgerRow(
        f"id-{n}", f"YH-20261101-{n:05d}", f"兴国县第{n}号企业 & <分厂>", f"91360731MA{n:08d}", "机械", "粉尘涉爆",
        date(2026, 11, 1), "刘志强（36070001）", " 2号车间", "FC-01", description, level,
        "《工贸企业重大事故隐患判定标准》第十一条（三）", "立即整改", date(2026, 12, 15), "张三", "（兴）应急责改〔2026〕12号",
        "rectifying", remarks="=SUM(A1)")
    row.photos.append(LedgerPhoto(f"p{n}", "before", f"IMG_{n}.jpg", "ab" * 32, datetime(2026, 11, 1, 10, 20), 2000, 1500))
    return row


def test_data_rows_keep_values_formats_and_extent(tmp_path):
    from openpyxl import load_workbook

    rows = [_row(1, "major", "除尘系统未泄爆\n第二行"), _row(2, "general", "一般隐患")]
    path = tmp_path / "台账.xlsx"
    write_xlsx(rows, path, LedgerFilter(), unit="兴国县应急管理局", on=date(2026, 12, 1))
    workbook = load_workbook(path)
    sheet = workbook["隐患台账"]
    assert sheet.max_row == HEADER_ROW + 2 and sheet.auto_filter.ref == f"A{HEADER_ROW}:{sheet.cell(HEADER_ROW, len(HEADERS)).column_letter}{HEADER_ROW + 2}"
    cell = {name: sheet.cell(HEADER_ROW + 1, HEADERS.index(name) + 1) for name in HEADERS}
    other = {name: sheet.cell(HEADER_ROW + 2, HEADERS.index(name) + 1) for name in HEADERS}
    assert cell["企业名称"].value == "兴国县第1号企业 & <分厂>"
    assert cell["隐患部位"].value == " 2号车间"  # the leading space is kept
    assert cell["隐患描述"].value == "除尘系统未泄爆\n第二行" and cell["隐患描述"].alignment.wrap_text
    assert cell["隐患等级"].font.b and cell["隐患等级"].font.color.rgb.endswith("C62828")
    assert not other["隐患等级"].font.b
    assert cell["检查日期"].value == datetime(2026, 11, 1) and cell["检查日期"].number_format == "yyyy-mm-dd"
    assert cell["备注"].value == "=SUM(A1)" and cell["备注"].data_type == "s"
    photos = workbook["照片附录"]
    assert photos.max_row == 3 and photos["E2"].value == datetime(2026, 11, 1, 10, 20)
    assert photos["E2"].number_format == "yyyy-mm-dd hh:mm" and photos["A3"].value == "YH-20261101-00002"
    assert [c.value for c in sheet[HEADER_ROW]] == HEADERS and sheet["A1"].value == "隐患排查治理台账"


def test_an_empty_ledger_is_a_valid_workbook(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "空.xlsx"
    write_xlsx([], path, LedgerFilter(), on=date(2026, 12, 1))
    sheet = load_workbook(path)["隐患台账"]
    assert sheet.max_row == HEADER_ROW and [c.value for c in sheet[HEADER_ROW]] == HEADERS
