"""The ERP export generator writes the files it promises, as calamine and the csv module read them back."""

from __future__ import annotations

import csv
import dataclasses
import re
import zipfile
from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from python_calamine import load_workbook
from stdnum.it import codicefiscale, iva

from app.services.imports.types import Field
from tests.support.erp_files import (
    BLANK_EVERY,
    DIALECTS,
    FORMULA_LOOKALIKE,
    ScheduleLine,
    change_some,
    excel_row,
    sample_lines,
    write_csv,
    write_xlsx,
)

Rows = list[list[Any]]


@pytest.fixture(scope="module")
def lines() -> list[ScheduleLine]:
    return sample_lines(600, seed=7)


def read_sheet(path: Path, sheet: str = "Scadenziario") -> Rows:
    """The sheet's rows as calamine reads them, from A1 (so index = Excel row - 1)."""
    data = load_workbook(str(path)).get_sheet_by_name(sheet)
    rows: Rows = data.to_python(skip_empty_area=False)
    assert data.start in (None, (0, 0))
    return rows


def read_csv(path: Path, encoding: str, delimiter: str = ";") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as stream:
        return list(csv.reader(stream, delimiter=delimiter))


def column(dialect: str, field: Field) -> int:
    return DIALECTS[dialect].index(field)


def text_amount(text: str) -> Decimal:
    """A clerk's reading of '1.234,56', '€ 1.234,56' or '1234.56'."""
    text = text.removeprefix("€ ")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return Decimal(text)


def text_date(text: str) -> date:
    if "-" in text:
        return date.fromisoformat(text)
    return datetime.strptime(text, "%d/%m/%Y").date()


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
@pytest.mark.parametrize("title_rows", [True, False])
def test_header_is_on_the_promised_row(
    tmp_path: Path, lines: list[ScheduleLine], dialect: str, title_rows: bool
) -> None:
    rows = read_sheet(write_xlsx(tmp_path / "s.xlsx", lines, dialect=dialect, title_rows=title_rows))
    header = DIALECTS[dialect].header_row(title_rows)
    assert header == (4 if title_rows else 1)
    assert rows[header - 1][: len(DIALECTS[dialect].columns)] == DIALECTS[dialect].headers
    if title_rows:
        assert str(rows[0][0]).strip() and rows[header - 2] == [""] * len(rows[0])


def test_gestionale_a_title_rows_read_as_an_erp_writes_them(tmp_path: Path, lines: list[ScheduleLine]) -> None:
    rows = read_sheet(write_xlsx(tmp_path / "s.xlsx", lines))
    assert re.fullmatch(r"Scadenziario clienti al \d\d/\d\d/\d{4}", str(rows[0][0]))
    assert rows[1][0] == "Filtro: tutte le partite"


def test_every_line_round_trips_on_its_excel_row(tmp_path: Path, lines: list[ScheduleLine]) -> None:
    dialect = DIALECTS["gestionale_a"]
    rows = read_sheet(write_xlsx(tmp_path / "s.xlsx", lines))
    for index, line in enumerate(lines):
        row = rows[excel_row(index) - 1]
        expected = [float(v) if isinstance(v, Decimal) else "" if v is None else v for v in dialect.values(line)]
        assert row == expected, f"line {index}"
    blank = rows[excel_row(BLANK_EVERY) - 2]
    assert blank == [""] * len(blank)


def test_totals_row_sums_the_money_columns(tmp_path: Path, lines: list[ScheduleLine]) -> None:
    rows = read_sheet(write_xlsx(tmp_path / "s.xlsx", lines, dialect="gestionale_b"))
    totals = rows[excel_row(len(lines) - 1, dialect="gestionale_b")]
    assert totals[0] == "TOTALE GENERALE"
    assert totals[column("gestionale_b", Field.AMOUNT)] == pytest.approx(float(sum(x.amount for x in lines)))
    assert totals[column("gestionale_b", Field.OUTSTANDING)] == pytest.approx(float(sum(x.outstanding for x in lines)))
    assert len(rows) == excel_row(len(lines) - 1, dialect="gestionale_b") + 1


def test_without_decorations_the_data_follows_the_header(tmp_path: Path, lines: list[ScheduleLine]) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", lines, title_rows=False, totals_row=False, blank_rows=False)
    rows = read_sheet(path)
    assert len(rows) == len(lines) + 1
    assert [row[column("gestionale_a", Field.REFERENCE)] for row in rows[1:]] == [x.reference for x in lines]


def test_dates_are_real_excel_dates(tmp_path: Path, lines: list[ScheduleLine]) -> None:
    rows = read_sheet(write_xlsx(tmp_path / "s.xlsx", lines))
    issue, due = column("gestionale_a", Field.ISSUE_DATE), column("gestionale_a", Field.DUE_DATE)
    first = rows[excel_row(0) - 1]
    assert first[issue] == lines[0].issue_date and type(first[issue]) is date
    assert first[due] == lines[0].due_date and type(first[due]) is date


def test_dates_as_text_mix_italian_and_iso(tmp_path: Path, lines: list[ScheduleLine]) -> None:
    rows = read_sheet(write_xlsx(tmp_path / "s.xlsx", lines, dates_as_text=True))
    due = column("gestionale_a", Field.DUE_DATE)
    texts = [rows[excel_row(i) - 1][due] for i in range(len(lines))]
    assert all(isinstance(text, str) for text in texts)
    assert {bool(re.fullmatch(r"\d{4}-\d\d-\d\d", str(t))) for t in texts} == {True, False}
    assert [text_date(str(t)) for t in texts] == [x.due_date for x in lines]


def test_amounts_as_text_use_the_three_spellings(tmp_path: Path, lines: list[ScheduleLine]) -> None:
    rows = read_sheet(write_xlsx(tmp_path / "s.xlsx", lines, amounts_as_text=True))
    amount = column("gestionale_a", Field.AMOUNT)
    texts = [str(rows[excel_row(i) - 1][amount]) for i in range(len(lines))]
    assert any(t.startswith("€ ") for t in texts) and any("," in t and not t.startswith("€") for t in texts)
    assert any(re.fullmatch(r"\d+\.\d\d", t) for t in texts)
    assert [text_amount(t) for t in texts] == [x.amount for x in lines]


def test_formula_cells_carry_cached_values_calamine_reads(tmp_path: Path, lines: list[ScheduleLine]) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", lines, formulas=True)
    with zipfile.ZipFile(path) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    first = excel_row(0)
    assert re.search(rf'<c r="O{first}" s="2"><f>M{first}-N{first}</f><v>[-0-9.]+</v></c>', xml)
    assert "<f>SUM(M5:M" in xml
    rows = read_sheet(path)
    outstanding = column("gestionale_a", Field.OUTSTANDING)
    assert [rows[excel_row(i) - 1][outstanding] for i in range(len(lines))] == [float(x.outstanding) for x in lines]
    assert rows[first - 1][column("gestionale_a", Field.NOTES)] == FORMULA_LOOKALIKE


def test_formulas_refuse_a_dialect_without_paid_column(tmp_path: Path, lines: list[ScheduleLine]) -> None:
    with pytest.raises(ValueError, match="formulas"):
        write_xlsx(tmp_path / "s.xlsx", lines, dialect="gestionale_b", formulas=True)


def test_extra_sheets_surround_the_schedule(tmp_path: Path, lines: list[ScheduleLine]) -> None:
    extra = ("Riepilogo", [["Partite", 600], ["Al", date(2026, 11, 23)]])
    path = write_xlsx(tmp_path / "s.xlsx", lines[:10], sheet="Foglio1", extra_sheets=[extra, "Legenda"], sheet_index=1)
    assert load_workbook(str(path)).sheet_names == ["Riepilogo", "Foglio1", "Legenda"]
    assert read_sheet(path, "Riepilogo") == [["Partite", 600.0], ["Al", date(2026, 11, 23)]]


def test_xml_special_characters_survive(tmp_path: Path, lines: list[ScheduleLine]) -> None:
    tricky = dataclasses.replace(lines[0], holder_name="Rossi & Figli <S.r.l.>", street="  Via dell'Orto 3 ")
    rows = read_sheet(write_xlsx(tmp_path / "s.xlsx", [tricky]))
    assert rows[excel_row(0) - 1][:4] == ["Rossi & Figli <S.r.l.>", tricky.holder_tax_code or "", "", tricky.street]


@pytest.mark.parametrize(("encoding", "bom"), [("utf-8-sig", True), ("utf-8", False), ("cp1252", False)])
def test_csv_encodings(tmp_path: Path, lines: list[ScheduleLine], encoding: str, bom: bool) -> None:
    path = write_csv(tmp_path / "s.csv", lines, encoding=encoding)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") is bom
    assert ("Località".encode(encoding.removesuffix("-sig"))) in raw
    rows = read_csv(path, encoding)
    assert rows[0] == DIALECTS["gestionale_a"].headers
    assert b"\r\n" in raw and len(rows) == len(lines) + 1


def test_csv_values_dates_and_decimal_comma(tmp_path: Path, lines: list[ScheduleLine]) -> None:
    rows = read_csv(write_csv(tmp_path / "s.csv", lines, dialect="gestionale_b"), "utf-8-sig")
    first, line = rows[1], lines[0]
    assert first[column("gestionale_b", Field.DUE_DATE)] == line.due_date.strftime("%d/%m/%Y")
    assert first[column("gestionale_b", Field.AMOUNT)] == str(line.amount).replace(".", ",")
    paid = [Decimal(r[12].replace(",", ".")) - Decimal(r[13].replace(",", ".")) for r in rows[1:]]
    assert paid == [x.paid for x in lines]  # gestionale_b has no Pagato column: paid = importo − residuo


def test_csv_title_rows_and_comma_delimiter(tmp_path: Path, lines: list[ScheduleLine]) -> None:
    path = write_csv(tmp_path / "s.csv", lines, delimiter=",", decimal_comma=False, title_rows=True, dialect="english")
    rows = read_csv(path, "utf-8-sig", ",")
    header = DIALECTS["english"].header_row(True)
    assert rows[header - 1] == DIALECTS["english"].headers
    assert rows[header][column("english", Field.AMOUNT)] == str(lines[0].amount)
    assert rows[header][column("english", Field.STATUS)] in {"Open", "Paid", "Partly paid", "Overdue", "Written off"}


def test_tax_codes_and_vat_numbers_are_valid() -> None:
    lines = sample_lines(5000, seed=3)
    codes = {x.holder_tax_code for x in lines} | {x.administrator_tax_code for x in lines}
    codes.discard(None)
    assert codes and all(codicefiscale.is_valid(code) for code in codes if code)
    assert any(len(code or "") == 16 for code in codes) and any(len(code or "") == 11 for code in codes)
    vats = {x.holder_vat_number for x in lines if x.holder_vat_number}
    assert vats and all(iva.is_valid(vat) for vat in vats)


def test_sample_is_realistic() -> None:
    lines = sample_lines(6000, seed=1)
    assert len(lines) == 6000 and len({x.reference for x in lines}) == 6000
    assert all(re.fullmatch(r"FT-\d{4}/\d{6}", x.reference) for x in lines)
    assert all(x.amount > 0 and Decimal(0) <= x.paid <= x.amount for x in lines)
    statuses = Counter(x.status for x in lines)
    assert {"Aperta", "Pagata", "Parz. pagata", "Scaduta"} <= statuses.keys()
    assert Counter(x.amount for x in lines).most_common(1)[0][1] > 300  # list prices: equal amounts abound
    condominiums = {(x.holder_name, x.administrator_tax_code) for x in lines if x.holder_name.startswith("Condominio")}
    administrators = {admin for _, admin in condominiums}
    assert 15 <= len(condominiums) / len(administrators) <= 60
    assert [x.due_date for x in lines] == sorted(x.due_date for x in lines)


def test_sample_is_deterministic() -> None:
    assert sample_lines(500, seed=5) == sample_lines(500, seed=5)
    assert sample_lines(500, seed=5) != sample_lines(500, seed=6)


def test_same_seed_gives_byte_identical_files(tmp_path: Path, lines: list[ScheduleLine]) -> None:
    first = write_csv(tmp_path / "a.csv", lines).read_bytes()
    assert write_csv(tmp_path / "b.csv", sample_lines(600, seed=7)).read_bytes() == first
    a, b = write_xlsx(tmp_path / "a.xlsx", lines), write_xlsx(tmp_path / "b.xlsx", sample_lines(600, seed=7))
    assert a.read_bytes() == b.read_bytes()  # the importer tells a re-imported file by its SHA-256


def test_change_some_records_payments_on_a_share(lines: list[ScheduleLine]) -> None:
    before = list(lines)
    changed = change_some(lines, 0.05, seed=2)
    assert lines == before and len(changed) == len(lines)
    different = [(old, new) for old, new in zip(lines, changed, strict=True) if old != new]
    assert len(different) == 30
    for old, new in different:
        assert new.paid > old.paid and new.status in {"Pagata", "Parz. pagata"}
        assert dataclasses.replace(new, paid=old.paid, status=old.status) == old
    assert change_some(lines, 0.05, seed=2) == changed
