"""Files a clerk might pick by mistake or an attacker might craft, written by hand into a folder in a blink.

Each ``*_file`` generator takes a directory and returns the path it wrote; ``HOSTILE`` lists them all with the
fragment of the refusal a clerk must read. The small writers (xlsx parts, ods, BIFF8 .xls in a compound file)
also serve the tests of well-formed files.
"""

from __future__ import annotations

import random
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.sax.saxutils import escape

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"


_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
SHEET_HEAD = f'{_DECLARATION}<worksheet xmlns="{MAIN_NS}"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def sheet_xml(rows: str, *, prefix: str = "", declaration: bool = True) -> str:
    """A worksheet part whose <sheetData> holds ``rows`` (raw XML), optionally with a namespace prefix."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f"xmlns:{prefix}" if prefix else "xmlns"
    head = _DECLARATION if declaration else ""
    return f'{head}<{p}worksheet {xmlns}="{MAIN_NS}"><{p}sheetData>{rows}</{p}sheetData></{p}worksheet>'


def write_xlsx(
    path: Path,
    sheets: dict[str, str | Iterable[bytes]],
    shared_strings: list[str] | str | None = None,
    *,
    compresslevel: int = 6,
) -> Path:
    """An xlsx with the given sheets (name → sheet XML, or chunks of it) and optional shared strings."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_SHEET_TYPE}"/>'
        for n in range(1, len(sheets) + 1)
    )
    entries = "".join(f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(sheets, 1))
    targets = "".join(
        f'<Relationship Id="rId{n}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
            f"/>{overrides}</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" '
            f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>'
            f"{entries}</sheets></workbook>",
        )
        if shared_strings is not None:
            targets += f'<Relationship Id="rIdS" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
            if isinstance(shared_strings, list):
                items = "".join(f"<si><t>{escape(text)}</t></si>" for text in shared_strings)
                shared_strings = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">{items}</sst>'
            archive.writestr("xl/sharedStrings.xml", shared_strings)
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL}">{targets}</Relationships>',
        )
        for n, content in enumerate(sheets.values(), 1):
            if isinstance(content, str):
                archive.writestr(f"xl/worksheets/sheet{n}.xml", content)
                continue
            with archive.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True) as part:
                for chunk in content:
                    part.write(chunk)
    return path


def write_ods(path: Path, tables: str, *, mimetype: str = "application/vnd.oasis.opendocument.spreadsheet") -> Path:
    """An .ods whose <office:spreadsheet> holds ``tables`` (raw table:table XML)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        f"<office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        f'manifest:media-type="{mimetype}"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


def write_compound(path: Path, streams: dict[str, bytes]) -> Path:
    """A version-3 OLE compound file (512-byte sectors, one FAT sector) holding ``streams`` at its root."""
    sector = 512
    end_of_chain, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    padded = {name: data.ljust(max(4096, -(-len(data) // sector) * sector), b"\0") for name, data in streams.items()}
    assert len(streams) <= 3 and sum(len(data) for data in padded.values()) // sector <= 126
    fat = [fat_sector, end_of_chain]
    starts = []
    for data in padded.values():
        starts.append(len(fat))
        count = len(data) // sector
        fat.extend(range(len(fat) + 1, len(fat) + count))
        fat.append(end_of_chain)
    fat.extend([free] * (128 - len(fat)))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(encoded), kind, 1, no_stream, right, child)
            + bytes(16 + 4 + 16)
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, no_stream, end_of_chain, 0)
    for index, (name, data) in enumerate(padded.items(), 1):
        right = index + 1 if index < len(padded) else no_stream
        directory += entry(name, 2, no_stream, right, starts[index - 1], len(data))
    directory = directory.ljust(sector, b"\0")
    header = (
        bytes.fromhex("d0cf11e0a1b11ae1")
        + bytes(16)
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + bytes(6)
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0)
        + struct.pack("<I", 0)
        + struct.pack("<108I", *([free] * 108))
    )
    path.write_bytes(header + struct.pack("<128I", *fat) + directory + b"".join(padded.values()))
    return path


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def biff8_workbook(sheet: str, cells: dict[tuple[int, int], str | float], *, password: bool = False) -> bytes:
    """A BIFF8 Workbook stream with one sheet; ``cells`` maps 0-based (row, column) to text or a number."""
    bof_globals = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x0006))
    filepass = _record(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48)) if password else b""
    fonts = _record(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + b"\x05\x00Arial")
    xfs = b"".join(
        _record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)) for _ in range(16)
    )
    xfs += _record(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0))
    texts = sorted({value for value in cells.values() if isinstance(value, str)})
    sst = struct.pack("<II", len(texts), len(texts)) + b"".join(
        struct.pack("<HB", len(text), 1) + text.encode("utf-16-le") for text in texts
    )
    name = sheet.encode("utf-16-le")
    boundsheet_size = 4 + 4 + 2 + 2 + len(name)
    head = bof_globals + filepass + fonts + xfs
    sheet_offset = len(head) + boundsheet_size + 4 + len(sst) + 4
    globals_ = head + _record(0x0085, struct.pack("<IBBBB", sheet_offset, 0, 0, len(sheet), 1) + name)
    globals_ += _record(0x00FC, sst) + _record(0x000A)
    rows = [row for row, _ in cells] or [0]
    columns = [column for _, column in cells] or [0]
    body = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x0006))
    body += _record(0x0200, struct.pack("<IIHHH", min(rows), max(rows) + 1, min(columns), max(columns) + 1, 0))
    for (row, column), value in sorted(cells.items()):
        if isinstance(value, str):
            body += _record(0x00FD, struct.pack("<HHHI", row, column, 16, texts.index(value)))
        else:
            body += _record(0x0203, struct.pack("<HHHd", row, column, 16, value))
    return globals_ + body + _record(0x000A)


def write_xls(path: Path, sheet: str, cells: dict[tuple[int, int], str | float], *, password: bool = False) -> Path:
    """A BIFF8 .xls with one sheet, as Excel 97-2003 saves it (a Workbook stream in a compound file)."""
    return write_compound(path, {"Workbook": biff8_workbook(sheet, cells, password=password)})


# --- hostile files -------------------------------------------------------------------------------------------


def pdf_file(folder: Path) -> Path:
    """A small PDF with a compressed stream, saved as .xlsx."""
    stream = zlib.compress(b"BT /F1 12 Tf 72 712 Td (Scadenziario) Tj ET")
    body = (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<</Length " + str(len(stream)).encode() + b"/Filter/FlateDecode>>stream\n"
    )
    path = folder / "scadenze.xlsx"
    path.write_bytes(body + stream + b"\nendstream endobj\ntrailer<<>>\n%%EOF\n")
    return path


def png_file(folder: Path) -> Path:
    """A 1×1 PNG image, saved as .csv."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    image = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0"))
    path = folder / "scadenze.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + image + chunk(b"IEND", b""))
    return path


def zip_of_other_things_file(folder: Path) -> Path:
    """A zip of a text file and an image, saved as .xlsx."""
    path = folder / "archivio.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("leggimi.txt", "Scadenze del mese")
        archive.writestr("foto.png", b"\x89PNG\r\n\x1a\n" + bytes(64))
    return path


def empty_file(folder: Path) -> Path:
    """A file of zero bytes."""
    path = folder / "vuoto.xlsx"
    path.write_bytes(b"")
    return path


def docx_file(folder: Path) -> Path:
    """A Word document (.docx), saved as .xlsx."""
    path = folder / "lettera.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            'main"><w:body><w:p><w:r><w:t>Gentile cliente</w:t></w:r></w:p></w:body></w:document>',
        )
    return path


def encrypted_xlsx_file(folder: Path) -> Path:
    """An .xlsx saved with a password: an encrypted package inside a compound file."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b'<?xml version="1.0"?><encryption/>'
    package = struct.pack("<Q", 4096) + random.Random(1).randbytes(4096)
    return write_compound(folder / "protetto.xlsx", {"EncryptionInfo": info, "EncryptedPackage": package})


def encrypted_xls_file(folder: Path) -> Path:
    """An .xls saved with a password to open (a FILEPASS record in the workbook globals)."""
    return write_xls(folder / "protetto.xls", "Foglio1", {(0, 0): "Documento"}, password=True)


def _laughs() -> str:
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    return f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'


def laughs_in_shared_strings_file(folder: Path) -> Path:
    """Billion laughs: nested entities in sharedStrings.xml."""
    strings = f'{_laughs()}<sst xmlns="{MAIN_NS}"><si><t>&lol9;</t></si></sst>'
    sheet = sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    return write_xlsx(folder / "risate.xlsx", {"Foglio1": sheet}, strings)


def laughs_in_sheet_file(folder: Path) -> Path:
    """Billion laughs: nested entities declared in the worksheet itself."""
    sheet = _laughs() + sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', declaration=False
    )
    return write_xlsx(folder / "risate-foglio.xlsx", {"Foglio1": sheet})


def zip_bomb_file(folder: Path) -> Path:
    """A sheet that inflates to 1 GB of spaces while the zip directory claims 1 KB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = compressor.compress(SHEET_HEAD.encode()) + compressor.flush(zlib.Z_FULL_FLUSH)
    # after a full flush the compressor starts afresh, so one compressed megabyte can be repeated as is
    megabyte = compressor.compress(b" " * (1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    deflated = head + megabyte * 1024 + compressor.compress(SHEET_TAIL.encode()) + compressor.flush()
    path = write_xlsx(folder / "bomba.xlsx", {"Foglio1": sheet_xml("")})
    replace_part(path, "xl/worksheets/sheet1.xml", deflated, raw_deflate=True)
    return path


def _numbered_rows(count: int, *, references: bool) -> Iterable[bytes]:
    yield SHEET_HEAD.encode()
    batch = 50_000
    for first in range(1, count + 1, batch):
        last = min(first + batch, count + 1)
        if references:
            yield "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(first, last)).encode()
        else:
            yield b"<row><c><v>1</v></c></row>" * (last - first)
    yield SHEET_TAIL.encode()


def two_million_rows_xlsx_file(folder: Path) -> Path:
    """An xlsx sheet of 2,000,000 numbered rows, written as zip and XML by hand."""
    rows = _numbered_rows(2_000_000, references=True)
    return write_xlsx(folder / "due-milioni.xlsx", {"Foglio1": rows}, compresslevel=1)


def two_million_unreferenced_rows_xlsx_file(folder: Path) -> Path:
    """2,000,000 rows whose cells carry no reference (calamine numbers them by position)."""
    rows = _numbered_rows(2_000_000, references=False)
    return write_xlsx(folder / "due-milioni-senza-riferimenti.xlsx", {"Foglio1": rows}, compresslevel=1)


def two_million_rows_ods_file(folder: Path) -> Path:
    """An .ods whose single row is repeated 2,000,000 times."""
    table = (
        '<table:table table:name="Dati"><table:table-row table:number-rows-repeated="2000000"><table:table-cell '
        'office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row>'
        "</table:table>"
    )
    return write_ods(folder / "due-milioni.ods", table)


def two_million_rows_csv_file(folder: Path) -> Path:
    """A CSV of 2,000,000 records."""
    path = folder / "due-milioni.csv"
    path.write_bytes(b"Documento;Importo\n" + b"FT1;1,00\n" * 2_000_000)
    return path


def huge_cell_xlsx_file(folder: Path) -> Path:
    """A 10 MB shared string shown in cell C4 of sheet «Dati»."""
    rows = '<row r="3"><c r="A3" t="s"><v>0</v></c></row><row r="4"><c r="C4" t="s"><v>1</v></c></row>'
    text = "".join(random.Random(5).choices("abcdefghijklmnopqrstuvwxyz ", k=10_000_000))  # as dense as real text
    return write_xlsx(folder / "cella-enorme.xlsx", {"Dati": sheet_xml(rows)}, ["Documento", text])


def huge_cell_csv_file(folder: Path) -> Path:
    """A CSV whose second field of record 3 holds 10 MB."""
    path = folder / "cella-enorme.csv"
    path.write_text("Documento;Note\nFT1;breve\nFT2;" + "x" * 10_000_000 + "\n", encoding="utf-8")
    return path


def garbage_csv_file(folder: Path) -> Path:
    """Random bytes (NULs included) named .csv."""
    path = folder / "spazzatura.csv"
    path.write_bytes(random.Random(7).randbytes(256 * 1024))
    return path


def control_characters_csv_file(folder: Path) -> Path:
    """Valid ASCII made mostly of control characters, named .csv."""
    path = folder / "controlli.csv"
    noise = random.Random(3).randbytes(64 * 1024)
    path.write_bytes(noise.translate(bytes(1 + byte % 31 for byte in range(256))))
    return path


def sparse_cells_xlsx_file(folder: Path) -> Path:
    """Two cells at opposite corners of a sheet: calamine would allocate 17 billion cells and abort."""
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return write_xlsx(folder / "angoli.xlsx", {"Foglio1": sheet_xml(rows)})


def wide_repeat_ods_file(folder: Path) -> Path:
    """An .ods row of 16,384 repeated cells, repeated 3,000 times: calamine would need 1.6 GB."""
    table = (
        '<table:table table:name="Dati"><table:table-row table:number-rows-repeated="3000"><table:table-cell '
        'table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>'
        "</table:table>"
    )
    return write_ods(folder / "ripetuto.ods", table)


def utf16_sheet_file(folder: Path) -> Path:
    """A worksheet part encoded in UTF-16, where a byte scan for declarations would see nothing."""
    sheet = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>').replace("UTF-8", "UTF-16")
    path = write_xlsx(folder / "utf16.xlsx", {"Foglio1": "PLACEHOLDER"})
    replace_part(path, "xl/worksheets/sheet1.xml", sheet.encode("utf-16"))
    return path


def replace_part(path: Path, name: str, data: bytes, *, raw_deflate: bool = False) -> None:
    """Put ``data`` in place of part ``name``; with ``raw_deflate`` it is already deflated and the directory is
    made to claim 1 KB of content, as a zip bomb would."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content, compress_type=zipfile.ZIP_STORED if part == name else None)
    if raw_deflate:
        packed = bytearray(path.read_bytes())
        for signature, method_at, size_at, name_at in ((b"PK\x03\x04", 8, 22, 30), (b"PK\x01\x02", 10, 24, 46)):
            position = packed.find(signature)
            while position != -1:
                if packed[position + name_at : position + name_at + len(name)] == name.encode():
                    struct.pack_into("<H", packed, position + method_at, zipfile.ZIP_DEFLATED)
                    struct.pack_into("<I", packed, position + size_at, 1024)
                position = packed.find(signature, position + 4)
        path.write_bytes(bytes(packed))


def web_page_xls_file(folder: Path) -> Path:
    """An HTML table saved with an .xls name, as some ERPs export "to Excel"."""
    path = folder / "export.xls"
    path.write_text("<html><body><table><tr><td>Documento</td><td>Importo</td></tr></table></body></html>")
    return path


NOT_SPREADSHEET = "non è un foglio di calcolo né un file CSV leggibile"
PASSWORD = "è protetto da password: salvarlo senza password e riprovare"
DECLARATIONS = "dichiarazioni XML (DOCTYPE o ENTITY)"
BOMB = "una volta decompresso occuperebbe più di"
TOO_MANY_ROWS = "il foglio ha più di 250.000 righe: dividerlo in più file"

# (generator, what the refusal must say)
HOSTILE: list[tuple[Callable[[Path], Path], str]] = [
    (pdf_file, NOT_SPREADSHEET),
    (png_file, NOT_SPREADSHEET),
    (zip_of_other_things_file, NOT_SPREADSHEET),
    (empty_file, "è vuoto"),
    (docx_file, NOT_SPREADSHEET),
    (encrypted_xlsx_file, PASSWORD),
    (encrypted_xls_file, PASSWORD),
    (laughs_in_shared_strings_file, DECLARATIONS),
    (laughs_in_sheet_file, DECLARATIONS),
    (zip_bomb_file, BOMB),
    (two_million_rows_xlsx_file, TOO_MANY_ROWS),
    (two_million_unreferenced_rows_xlsx_file, TOO_MANY_ROWS),
    (two_million_rows_ods_file, TOO_MANY_ROWS),
    (two_million_rows_csv_file, TOO_MANY_ROWS),
    (huge_cell_xlsx_file, "foglio «Dati», riga 4, colonna C: la cella contiene più di 32.767 caratteri"),
    (huge_cell_csv_file, "«cella-enorme.csv», riga 3, colonna B: la cella contiene più di 32.767 caratteri"),
    (garbage_csv_file, NOT_SPREADSHEET),
    (control_characters_csv_file, NOT_SPREADSHEET),
    (sparse_cells_xlsx_file, "il foglio ha più di 250.000 righe"),
    (wide_repeat_ods_file, "usa celle troppo distanti tra loro"),
    (utf16_sheet_file, "in una codifica che Excel non usa"),
    (web_page_xls_file, "è una pagina web (HTML)"),
]
