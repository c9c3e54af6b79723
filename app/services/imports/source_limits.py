"""How much of a file the schedule readers accept before refusing it: one place for every cap."""

from __future__ import annotations

MAX_DATA_ROWS = 250_000  # rows per sheet we accept (TREE has ~100k invoices a year)
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell

# The last row number a sheet may use: the data plus room for titles, header and spacer rows above it.
MAX_ROW_NUMBER = MAX_DATA_ROWS + 1_000
# Calamine holds a sheet as one dense rectangle of ~32-byte cells from its first to its last used cell, so two
# cells far apart cost as much as a full sheet: cap the rectangle (about 256 MB) rather than the cells written.
MAX_CELLS = 8_000_000

MAX_FILE_BYTES = 256 * 1024 * 1024  # a 250,000-row export is well under 100 MB in any format

# Zip containers (xlsx, xlsm, xlsb, ods): what decompressing is allowed to produce, whatever the directory claims.
MAX_ZIP_ENTRIES = 10_000
MAX_CENTRAL_DIRECTORY_BYTES = 16 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024  # all parts together
MAX_SMALL_PART_BYTES = 64 * 1024 * 1024  # a part that is neither a sheet nor the shared strings
MAX_COMPRESSION_RATIO = 200  # real sheets compress 5-30 times; bombs compress a thousand times
RATIO_CHECK_FROM_BYTES = 8 * 1024 * 1024  # small parts of repeated markup may compress better than that, harmlessly
