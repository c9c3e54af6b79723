"""Zip containers opened under caps: a part is decompressed as a stream and refused as soon as it grows too much."""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from app.services.imports import source_messages as msg
from app.services.imports.source_limits import (
    MAX_CENTRAL_DIRECTORY_BYTES,
    MAX_COMPRESSION_RATIO,
    MAX_SMALL_PART_BYTES,
    MAX_UNCOMPRESSED_BYTES,
    MAX_ZIP_ENTRIES,
    RATIO_CHECK_FROM_BYTES,
)

_READ_BYTES = 256 * 1024
_CHUNK_BYTES = 1024 * 1024
_END_OF_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END = b"PK\x06\x06"
_LOCAL_HEADER = b"PK\x03\x04"
# A DTD is the only way to declare entities; quick-xml may read the keyword in any case. Binary parts (images)
# cannot match by chance: nine given bytes in a row.
_DECLARATION = re.compile(rb"<!(?i:DOCTYPE|ENTITY)")
_TAIL = 8  # a keyword split between two chunks is seen again with the next one
# A byte-order mark or a NUL next to "<": UTF-16/32 text, which a byte scan for "<!DOCTYPE" would not see.
_WIDE_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<", b"\x00\x00\xfe\xff")


class ZipContainer:
    """A zip whose directory was checked; every read goes through the caps and the XML-declaration scan."""

    def __init__(self, path: Path, file_name: str) -> None:
        self.path = path
        self.file_name = file_name
        self._produced = 0  # bytes decompressed so far from all parts, against MAX_UNCOMPRESSED_BYTES
        _check_directory(path, file_name)
        try:
            with zipfile.ZipFile(path) as archive:
                self.entries = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise msg.file_refusal(file_name, msg.DAMAGED) from error
        self.names = {entry.filename for entry in self.entries}

    def read_small(self, name: str) -> bytes:
        """The whole of a small part (workbook, relationships, content types), read under the small-part cap."""
        entry = next(entry for entry in self.entries if entry.filename == name)
        return b"".join(self.chunks(entry, large=False))

    def chunks(self, entry: zipfile.ZipInfo, *, large: bool, again: bool = False) -> Iterator[bytes]:
        """The decompressed bytes of ``entry`` in chunks of at most 1 MB, refused past the caps.

        ``again`` reads a part a second time without counting it twice against the total.
        """
        if entry.flag_bits & 0x1:
            raise msg.file_refusal(self.file_name, msg.PASSWORD)
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # calamine reads only these two methods; anything else is a file no spreadsheet program wrote
            raise msg.file_refusal(self.file_name, msg.DAMAGED)
        cap = MAX_UNCOMPRESSED_BYTES if large else MAX_SMALL_PART_BYTES
        scanner = _DeclarationScanner(self.file_name)
        produced = 0
        for consumed, chunk in self._inflate(entry):
            produced += len(chunk)
            if not again:
                self._produced += len(chunk)
            too_dense = produced > RATIO_CHECK_FROM_BYTES and produced > MAX_COMPRESSION_RATIO * max(consumed, 1)
            if produced > cap or self._produced > MAX_UNCOMPRESSED_BYTES or too_dense:
                raise msg.file_refusal(self.file_name, msg.BOMB)
            scanner.feed(chunk)
            yield chunk

    def _inflate(self, entry: zipfile.ZipInfo) -> Iterator[tuple[int, bytes]]:
        """(compressed bytes read so far, decompressed chunk) pairs, trusting only the compressed size."""
        with self.path.open("rb") as handle:
            handle.seek(entry.header_offset)
            header = handle.read(30)
            if len(header) < 30 or header[:4] != _LOCAL_HEADER:
                raise msg.file_refusal(self.file_name, msg.DAMAGED)
            name_length, extra_length = struct.unpack_from("<HH", header, 26)
            handle.seek(entry.header_offset + 30 + name_length + extra_length)
            inflater = zlib.decompressobj(-zlib.MAX_WBITS) if entry.compress_type == zipfile.ZIP_DEFLATED else None
            consumed = 0
            try:
                while consumed < entry.compress_size and not (inflater and inflater.eof):
                    raw = handle.read(min(_READ_BYTES, entry.compress_size - consumed))
                    if not raw:
                        raise msg.file_refusal(self.file_name, msg.DAMAGED)
                    consumed += len(raw)
                    if inflater is None:
                        yield consumed, raw
                    while inflater and raw and not inflater.eof:
                        chunk = inflater.decompress(raw, _CHUNK_BYTES)
                        raw = inflater.unconsumed_tail
                        if chunk:
                            yield consumed - len(raw), chunk
                rest = inflater.flush() if inflater else b""  # at most a window's worth: all input was consumed
            except zlib.error as error:
                raise msg.file_refusal(self.file_name, msg.DAMAGED) from error
            if rest:
                yield consumed, rest


class _DeclarationScanner:
    """Refuses a part that declares a DOCTYPE or ENTITY, or is XML in a wide encoding, reading chunk by chunk."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.tail = b""
        self.started = False

    def feed(self, chunk: bytes) -> None:
        if not self.started:
            self.started = True
            if chunk.startswith(_WIDE_STARTS):
                raise msg.file_refusal(self.file_name, msg.XML_ENCODING)
        buffer = self.tail + chunk if self.tail else chunk
        if _DECLARATION.search(buffer):
            raise msg.file_refusal(self.file_name, msg.XML_DECLARATIONS)
        self.tail = buffer[-_TAIL:]


def _check_directory(path: Path, file_name: str) -> None:
    """Refuse a zip whose directory lists more entries than any workbook has, before zipfile builds them all."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        start = max(0, size - (22 + 65_535))
        handle.seek(start)
        tail = handle.read()
        at = tail.rfind(_END_OF_DIRECTORY)
        if at < 0 or at + 22 > len(tail):
            raise msg.file_refusal(file_name, msg.DAMAGED)
        entries, directory_bytes = struct.unpack_from("<HI", tail, at + 10)
        if entries == 0xFFFF or directory_bytes == 0xFFFFFFFF:
            entries, directory_bytes = _zip64_directory(handle, start + at, file_name)
    if entries > MAX_ZIP_ENTRIES or directory_bytes > MAX_CENTRAL_DIRECTORY_BYTES:
        raise msg.file_refusal(file_name, msg.BOMB)


def _zip64_directory(handle: BinaryIO, end_offset: int, file_name: str) -> tuple[int, int]:
    if end_offset < 20:
        raise msg.file_refusal(file_name, msg.DAMAGED)
    handle.seek(end_offset - 20)
    locator = handle.read(20)
    if locator[:4] != _ZIP64_LOCATOR:
        raise msg.file_refusal(file_name, msg.DAMAGED)
    (record_offset,) = struct.unpack_from("<Q", locator, 8)
    handle.seek(record_offset)
    record = handle.read(56)
    if len(record) < 56 or record[:4] != _ZIP64_END:
        raise msg.file_refusal(file_name, msg.DAMAGED)
    entries, directory_bytes = struct.unpack_from("<QQ", record, 32)
    return int(entries), int(directory_bytes)
