"""The readers behind the schedule import: formats by content, rows and columns exactly where Excel shows them."""

from __future__ import annotations

import csv
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services.errors import CreditDeskError, UnreadableFile
from app.services.imports import guard_zip, source_sheet, sources
from app.services.imports.sources import MAX_CELL_CHARS, Source, check_xml_safety, open_source
from app.services.imports.types import CellValue
from app.services.xlsx import text_cell
from tests.support.hostile_files import replace_part, sheet_xml, write_ods, write_xls, write_xlsx

TITLE_AND_HEADER = (
    '<row r="3"><c r="C3" t="inlineStr"><is><t>Scadenziario al 31/12</t></is></c></row>'
    '<row r="5"><c r="B5" t="inlineStr"><is><t>Documento</t></is></c>'
    '<c r="D5" t="inlineStr"><is><t>Importo</t></is></c></row>'
    '<row r="6"><c r="B6" t="inlineStr"><is><t>FT1</t></is></c><c r="D6"><v>1234.5</v></c></row>'
    '<row r="8"><c r="B8" t="inlineStr"><is><t>FT2</t></is></c><c r="C8" t="inlineStr"><is><t></t></is></c>'
    '<c r="D8"><v>7</v></c></row>'
)
EXPECTED_TITLE_AND_HEADER = [
    (3, [None, None, "Scadenziario al 31/12", None]),
    (5, [None, "Documento", None, "Importo"]),
    (6, [None, "FT1", None, 1234.5]),
    (8, [None, "FT2", None, 7.0]),
]


def read_all(path: Path) -> dict[str, list[tuple[int, list[CellValue]]]]:
    with open_source(path) as source:
        return {sheet: list(source.rows(sheet)) for sheet in source.sheet_names()}


def test_rows_keep_excel_row_numbers_and_columns_from_a(tmp_path: Path) -> None:
    # GIVEN a title in C3, the header in B5 and a blank row 7 between two data rows
    path = write_xlsx(tmp_path / "scadenze.xlsx", {"Dati": sheet_xml(TITLE_AND_HEADER)})

    # WHEN it is read THEN row numbers and column positions are those Excel shows; blank rows are skipped
    with open_source(path) as source:
        assert (source.kind, source.file_name, source.encoding, source.delimiter) == (
            "xlsx",
            "scadenze.xlsx",
            None,
            None,
        )
        assert source.sheet_names() == ["Dati"]
        assert list(source.rows("Dati")) == EXPECTED_TITLE_AND_HEADER


def test_limit_stops_after_that_many_rows(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "scadenze.xlsx", {"Dati": sheet_xml(TITLE_AND_HEADER)})
    with open_source(path) as source:
        assert [number for number, _ in source.rows("Dati", limit=2)] == [3, 5]
        assert list(source.rows("Dati", limit=0)) == []
        assert len(list(source.rows("Dati"))) == 4  # the cached sheet is read again from its start


def test_prefixed_sheet_and_cells_without_references_are_read_in_place(tmp_path: Path) -> None:
    # .NET writers prefix every element; some writers leave out cell references: both need the full parse
    prefixed = sheet_xml('<x:row r="4"><x:c r="C4"><x:v>1</x:v></x:c></x:row>', prefix="x")
    implicit = sheet_xml(
        '<row r="2"><c><v>1</v></c><c t="inlineStr"><is><t>b</t></is></c></row><row><c><v>3</v></c></row>'
    )
    path = write_xlsx(tmp_path / "varie.xlsx", {"Prefissi": prefixed, "Impliciti": implicit})
    assert read_all(path) == {
        "Prefissi": [(4, [None, None, 1.0])],
        "Impliciti": [(2, [1.0, "b"]), (3, [3.0, None])],
    }


def test_formula_cells_give_their_cached_value(tmp_path: Path) -> None:
    rows = (
        '<row r="1"><c r="A1"><v>40</v></c><c r="B1"><v>2</v></c>'
        '<c r="C1"><f>A1+B1</f><v>42</v></c><c r="D1" t="str"><f>"FT"&amp;A1</f><v>FT40</v></c></row>'
    )
    path = write_xlsx(tmp_path / "formule.xlsx", {"Foglio1": sheet_xml(rows)})
    assert read_all(path)["Foglio1"] == [(1, [40.0, 2.0, 42.0, "FT40"])]


def test_text_starting_with_equals_stays_text_and_spaces_are_kept(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Note")
    sheet.append([text_cell(sheet, "=SOMMA(A1:A3)"), "  spazi  ", ""])
    workbook.save(tmp_path / "note.xlsx")
    assert read_all(tmp_path / "note.xlsx")["Note"] == [(1, ["=SOMMA(A1:A3)", "  spazi  "])]


def test_excel_dates_come_back_as_dates(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Scadenze"
    sheet.append(["Documento", "Scadenza", "Registrata"])
    sheet.append(["FT1", date(2025, 3, 31), datetime(2025, 3, 1, 9, 30)])
    workbook.save(tmp_path / "date.xlsx")
    assert read_all(tmp_path / "date.xlsx")["Scadenze"][1] == (
        2,
        ["FT1", date(2025, 3, 31), datetime(2025, 3, 1, 9, 30)],
    )


def test_sheet_names_list_worksheets_only_in_workbook_order(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Zeta"
    workbook.create_chartsheet("Grafico")
    workbook.create_sheet("Alfa").append(["x"])
    workbook.save(tmp_path / "fogli.xlsx")
    with open_source(tmp_path / "fogli.xlsx") as source:
        assert source.sheet_names() == ["Zeta", "Alfa"]
        assert list(source.rows("Zeta")) == []
        with pytest.raises(UnreadableFile, match="non ha un foglio «Grafico»"):
            source.rows("Grafico")


def test_format_comes_from_the_bytes_not_the_extension(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path / "vero.xlsx", {"Dati": sheet_xml(TITLE_AND_HEADER)})
    shutil.copy(workbook, tmp_path / "travestito.csv")
    (tmp_path / "travestito.xlsx").write_text("Documento;Importo\nFT1;1.234,56\n", encoding="utf-8")

    with open_source(tmp_path / "travestito.csv") as source:
        assert source.kind == "xlsx"
        assert list(source.rows("Dati")) == EXPECTED_TITLE_AND_HEADER
    with open_source(tmp_path / "travestito.xlsx") as source:
        assert (source.kind, source.delimiter, source.sheet_names()) == ("csv", ";", ["travestito"])
        assert list(source.rows("travestito")) == [(1, ["Documento", "Importo"]), (2, ["FT1", "1.234,56"])]


def test_images_and_other_binary_parts_do_not_trouble_the_checks(tmp_path: Path) -> None:
    # binary parts may hold "<!" or "<x" by chance: only sheets and XML declarations are judged
    path = write_xlsx(tmp_path / "logo.xlsx", {"Dati": sheet_xml(TITLE_AND_HEADER)})
    replace_part(path, "xl/media/image1.png", b"\x89PNG\r\n\x1a\n<!x\x00<q" + bytes(range(256)) * 8)
    replace_part(path, "xl/printerSettings/printerSettings1.bin", "\\\\server\\printer".encode("utf-16-le"))
    assert read_all(path) == {"Dati": EXPECTED_TITLE_AND_HEADER}


def test_an_xls_named_xlsx_reads_as_xls(tmp_path: Path) -> None:
    path = write_xls(tmp_path / "rinominato.xlsx", "Foglio1", {(0, 0): "Documento", (1, 0): "FT1"})
    with open_source(path) as source:
        assert source.kind == "xls"
        assert list(source.rows("Foglio1")) == [(1, ["Documento"]), (2, ["FT1"])]


def test_xls_reads(tmp_path: Path) -> None:
    cells: dict[tuple[int, int], str | float] = {
        (2, 2): "Scadenziario",
        (4, 1): "Documento",
        (5, 1): "FT1",
        (5, 3): 99.5,
    }
    path = write_xls(tmp_path / "vecchio.xls", "Foglio1", cells)
    with open_source(path) as source:
        assert source.kind == "xls"
        assert list(source.rows("Foglio1")) == [
            (3, [None, None, "Scadenziario", None]),
            (5, [None, "Documento", None, None]),
            (6, [None, "FT1", None, 99.5]),
        ]


def test_ods_reads_with_repeated_cells_and_dates(tmp_path: Path) -> None:
    blank = "<table:table-row><table:table-cell/></table:table-row>"
    table = (
        f'<table:table table:name="Dati">{blank}{blank}<table:table-row><table:table-cell '
        'table:number-columns-repeated="2"/><table:table-cell office:value-type="string"><text:p>Titolo</text:p>'
        "</table:table-cell></table:table-row>"
        f'{blank}<table:table-row><table:table-cell/><table:table-cell table:number-columns-repeated="2" '
        'office:value-type="float" office:value="2.5"><text:p>2,5</text:p></table:table-cell><table:table-cell '
        'office:value-type="date" office:date-value="2025-01-31"><text:p>31/01/2025</text:p></table:table-cell>'
        '</table:table-row><table:table-row table:number-rows-repeated="1048570"><table:table-cell '
        'table:number-columns-repeated="1024"/></table:table-row></table:table>'
    )
    path = write_ods(tmp_path / "libre.ods", table)
    with open_source(path) as source:
        assert source.kind == "ods"
        assert list(source.rows("Dati")) == [
            (3, [None, None, "Titolo", None]),
            (5, [None, 2.5, 2.5, date(2025, 1, 31)]),
        ]


def test_cell_of_excels_maximum_length_passes_and_one_more_is_refused(tmp_path: Path) -> None:
    rows = '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="E2" t="s"><v>1</v></c></row>'
    path = write_xlsx(
        tmp_path / "lunga.xlsx", {"Note": sheet_xml(rows)}, ["a" * MAX_CELL_CHARS, "b" * (MAX_CELL_CHARS + 1)]
    )
    with open_source(path) as source, pytest.raises(UnreadableFile) as refused:
        list(source.rows("Note"))
    assert "«lunga.xlsx», foglio «Note», riga 2, colonna E: la cella contiene più di 32.767 caratteri" in str(
        refused.value
    )


def test_rows_past_the_limit_are_refused_before_the_first_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source_sheet, "MAX_ROW_NUMBER", 5)
    path = write_xlsx(tmp_path / "lungo.xlsx", {"Dati": sheet_xml(TITLE_AND_HEADER)})
    with (
        open_source(path) as source,
        pytest.raises(UnreadableFile, match=re.escape("il foglio ha più di 250.000 righe")),
    ):
        next(source.rows("Dati"))


def test_decompressed_total_is_capped_whatever_the_directory_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard_zip, "MAX_UNCOMPRESSED_BYTES", 2_000)
    path = write_xlsx(tmp_path / "piccolo.xlsx", {"Dati": sheet_xml(TITLE_AND_HEADER * 3)})
    with pytest.raises(UnreadableFile, match="una volta decompresso occuperebbe"):
        open_source(path)


def test_a_zip_with_too_many_entries_is_refused_before_listing_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guard_zip, "MAX_ZIP_ENTRIES", 3)
    path = write_xlsx(tmp_path / "voci.xlsx", {"Dati": sheet_xml(TITLE_AND_HEADER)})
    with pytest.raises(UnreadableFile, match=re.escape("«voci.xlsx» una volta decompresso")):
        open_source(path)


def test_damaged_workbook_names_the_file(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "rotto.xlsx", {"Dati": sheet_xml('<row r="1"><c r="$A$1"><v>1</v></c></row>')})
    with pytest.raises(UnreadableFile, match=re.escape("Il file «rotto.xlsx» è danneggiato")):
        read_all(path)
    truncated = tmp_path / "troncato.xlsx"
    truncated.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(UnreadableFile, match=re.escape("Il file «troncato.xlsx» è danneggiato")):
        read_all(truncated)


def test_a_rust_panic_becomes_a_refusal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class PanicException(BaseException):
        pass

    def panic(*_: object) -> None:
        raise PanicException("index out of bounds")

    path = write_xlsx(tmp_path / "panico.xlsx", {"Dati": sheet_xml(TITLE_AND_HEADER)})
    with open_source(path) as source:
        monkeypatch.setattr(sources, "sheet_rows", panic)
        with pytest.raises(UnreadableFile, match=re.escape("«panico.xlsx» è danneggiato")):
            list(source.rows("Dati"))


def test_closed_source_refuses_to_read(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "chiuso.xlsx", {"Dati": sheet_xml(TITLE_AND_HEADER)})
    with open_source(path) as source:
        assert isinstance(source, Source)
    source.close()  # twice is harmless
    with pytest.raises(ValueError):
        source.rows("Dati")


def test_check_xml_safety(monkeypatch: pytest.MonkeyPatch) -> None:
    check_xml_safety()
    monkeypatch.setattr("openpyxl.xml.DEFUSEDXML", False)
    with pytest.raises(CreditDeskError, match="defusedxml"):
        sources.check_xml_safety()


# --- CSV ------------------------------------------------------------------------------------------------------


def write_text(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_italian_csv_splits_on_semicolons_not_on_decimal_commas(tmp_path: Path) -> None:
    path = write_text(tmp_path / "scadenze.csv", "FT1;1.234,56\nFT2;99,00\nFT3;0,50\n")
    with open_source(path) as source:
        assert (source.kind, source.encoding, source.delimiter) == ("csv", "utf-8", ";")
        assert list(source.rows("scadenze")) == [(1, ["FT1", "1.234,56"]), (2, ["FT2", "99,00"]), (3, ["FT3", "0,50"])]


@pytest.mark.parametrize(("delimiter", "name"), [(",", "virgole"), ("\t", "tabulazioni"), (";", "puntievirgola")])
def test_delimiter_is_the_one_giving_consistent_columns(tmp_path: Path, delimiter: str, name: str) -> None:
    text = delimiter.join(["Documento", "Cliente", "Importo"]) + "\n" + delimiter.join(["FT1", "Rossi", "10"]) + "\n"
    with open_source(write_text(tmp_path / f"{name}.csv", text)) as source:
        assert source.delimiter == delimiter
        assert list(source.rows(name))[1] == (2, ["FT1", "Rossi", "10"])


def test_quoted_fields_keep_newlines_and_delimiters_and_rows_count_records(tmp_path: Path) -> None:
    text = (
        'Documento;Note;Importo\r\nFT1;"riga uno\r\nriga due; con punto e virgola";10\r\n;;\r\n'
        'FT2;"ha ""virgolette""";\r\n'
    )
    with open_source(write_text(tmp_path / "note.csv", text)) as source:
        assert list(source.rows("note")) == [
            (1, ["Documento", "Note", "Importo"]),
            (2, ["FT1", "riga uno\r\nriga due; con punto e virgola", "10"]),
            (4, ["FT2", 'ha "virgolette"', None]),
        ]


@pytest.mark.parametrize(
    ("encoding", "written_as", "found"),
    [("utf-8-sig", "utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252", "cp1252"), ("utf-8", "utf-8", "utf-8")],
)
def test_encoding_is_strict_utf8_first_then_windows_1252(
    tmp_path: Path, encoding: str, written_as: str, found: str
) -> None:
    path = write_text(tmp_path / "accenti.csv", "Città;Importo\nForlì;1.000,00 €\n", written_as)
    with open_source(path) as source:
        assert source.encoding == found
        assert list(source.rows("accenti")) == [(1, ["Città", "Importo"]), (2, ["Forlì", "1.000,00 €"])]
    del encoding


def test_text_without_columns_is_refused(tmp_path: Path) -> None:
    path = write_text(tmp_path / "lettera.csv", "Gentile cliente\nle scriviamo per\n")
    with pytest.raises(UnreadableFile, match=re.escape("«lettera.csv» non ha un separatore di colonne riconoscibile")):
        open_source(path)


cell_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x85\u2028\u2029"), max_size=12
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=12))
def test_csv_round_trips(tmp_path: Path, records: list[list[str]]) -> None:
    # a header that fixes the delimiter, then any text at all in the fields
    path = tmp_path / "giro.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerow(["Documento", "Cliente", "Importo"])
        writer.writerows(records)
    expected = [(1, ["Documento", "Cliente", "Importo"])] + [
        (number, [field or None for field in record]) for number, record in enumerate(records, 2) if any(record)
    ]
    with open_source(path) as source:
        assert list(source.rows("giro")) == expected


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(1, 300), st.integers(0, 60))
def test_any_cell_comes_back_where_excel_shows_it(tmp_path: Path, row: int, column: int) -> None:
    letters = ""
    index = column + 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    path = write_xlsx(
        tmp_path / "cella.xlsx", {"Dati": sheet_xml(f'<row r="{row}"><c r="{letters}{row}"><v>5</v></c></row>')}
    )
    [(number, cells)] = read_all(path)["Dati"]
    assert (number, cells.index(5.0), len(cells)) == (row, column, column + 1)


def test_a_damaged_workbook_is_called_damaged_not_a_bad_csv(tmp_path: Path) -> None:
    path = tmp_path / "scadenziario.xlsx"
    path.write_bytes(b"contenuto troncato senza colonne\n" * 50)  # text, but no workbook and no columns
    with pytest.raises(UnreadableFile, match="danneggiato"):
        open_source(path)
