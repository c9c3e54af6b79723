"""What an OLE compound file (CFB) holds: an .xls workbook, an encrypted Office package, or something else."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_END_OF_CHAIN = 0xFFFFFFFE
_MAX_REGULAR_SECTOR = 0xFFFFFFFA
_HEADER_FAT_SLOTS = 109
_STREAM = 2
_MINI_STREAM_CUTOFF = 4096


class DamagedContainer(ValueError):
    """The compound file's header, allocation table or directory do not hold together."""


class CompoundFile:
    """The directory of a compound file: its streams by name, and the first bytes of any of them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as handle:
            header = handle.read(512)
            if len(header) < 512 or not header.startswith(CFB_SIGNATURE):
                raise DamagedContainer("not a compound file")
            shift = struct.unpack_from("<H", header, 0x1E)[0]
            if shift not in (9, 12):
                raise DamagedContainer("bad sector size")
            self.sector_size = 1 << shift
            self.sector_count = max(0, handle.seek(0, 2) // self.sector_size - 1)  # the header takes sector -1
            self.fat = self._allocation_table(handle, header)
            self.streams: dict[str, tuple[int, int]] = {}  # name → (first sector, size in bytes)
            for sector in self._chain(struct.unpack_from("<I", header, 0x30)[0]):
                self.streams.update(_entries_in(self._read(handle, sector)))

    def head(self, name: str, size: int) -> bytes | None:
        """The first ``size`` bytes of stream ``name``, or None when it is absent or kept in the mini stream."""
        located = self.streams.get(name)
        if located is None or located[1] < _MINI_STREAM_CUTOFF:
            return None
        start, length = located
        wanted = min(size, length)
        head = b""
        with self.path.open("rb") as handle:
            for sector in self._chain(start):
                if len(head) >= wanted:
                    break
                head += self._read(handle, sector)
        return head[:wanted]

    def _read(self, handle: BinaryIO, sector: int) -> bytes:
        if sector >= self.sector_count:
            raise DamagedContainer("sector out of range")
        handle.seek((sector + 1) * self.sector_size)
        data = handle.read(self.sector_size)
        if len(data) < self.sector_size:
            raise DamagedContainer("truncated sector")
        return data

    def _allocation_table(self, handle: BinaryIO, header: bytes) -> list[int]:
        """The FAT, from the sector list in the header and the DIFAT chain after it."""
        fat_sectors = struct.unpack_from("<I", header, 0x2C)[0]
        if fat_sectors > self.sector_count:
            raise DamagedContainer("more FAT sectors than the file holds")
        listed = list(struct.unpack_from(f"<{_HEADER_FAT_SLOTS}I", header, 0x4C))
        difat = struct.unpack_from("<I", header, 0x44)[0]
        slots = self.sector_size // 4 - 1
        seen: set[int] = set()
        while len(listed) < fat_sectors and difat <= _MAX_REGULAR_SECTOR:
            if difat in seen:
                raise DamagedContainer("DIFAT loop")
            seen.add(difat)
            values = struct.unpack(f"<{slots + 1}I", self._read(handle, difat))
            listed.extend(values[:slots])
            difat = values[slots]
        table: list[int] = []
        for sector in listed[:fat_sectors]:
            table.extend(struct.unpack(f"<{self.sector_size // 4}I", self._read(handle, sector)))
        return table

    def _chain(self, start: int) -> list[int]:
        sectors: list[int] = []
        sector = start
        while sector != _END_OF_CHAIN:
            if sector > _MAX_REGULAR_SECTOR or sector >= len(self.fat) or len(sectors) > len(self.fat):
                raise DamagedContainer("broken sector chain")
            sectors.append(sector)
            sector = self.fat[sector]
        return sectors


def _entries_in(sector: bytes) -> dict[str, tuple[int, int]]:
    entries = {}
    for offset in range(0, len(sector), 128):
        entry = sector[offset : offset + 128]
        length = struct.unpack_from("<H", entry, 0x40)[0]
        if entry[0x42] == _STREAM and 2 <= length <= 64:
            name = entry[: length - 2].decode("utf-16-le", errors="replace")
            start, size = struct.unpack_from("<IQ", entry, 0x74)
            entries[name] = (start, size)
    return entries


def biff_has_password(workbook_head: bytes) -> bool:
    """Whether a BIFF8 workbook stream asks for a password (a FILEPASS record among its first records)."""
    offset = 0
    for _ in range(64):
        if offset + 4 > len(workbook_head):
            return False
        kind, length = struct.unpack_from("<HH", workbook_head, offset)
        if kind == 0x002F:
            return True
        if kind in (0x0085, 0x000A):  # the sheet list or the end of the globals: FILEPASS would be before them
            return False
        offset += 4 + length
    return False
