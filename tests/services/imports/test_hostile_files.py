"""Every hostile file is refused with a message that names it and says what is wrong; nothing hangs or crashes.

Timings and memory are measured by tests/benchmarks/bench_hostile.py, one fresh process per file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.services.errors import UnreadableFile
from app.services.imports.sources import open_source
from tests.support.hostile_files import HOSTILE


@pytest.mark.parametrize(("generate", "expected"), HOSTILE, ids=[generate.__name__ for generate, _ in HOSTILE])
def test_hostile_file_is_refused_with_a_clear_message(
    tmp_path: Path, generate: Callable[[Path], Path], expected: str
) -> None:
    path = generate(tmp_path)

    with pytest.raises(UnreadableFile) as refused, open_source(path) as source:
        for sheet in source.sheet_names():
            for _ in source.rows(sheet):
                pass

    message = str(refused.value)
    assert message.startswith(f"Il file «{path.name}»")
    assert expected in message


@pytest.mark.parametrize(
    "generate",
    [generate for generate, _ in HOSTILE if not generate.__name__.startswith("huge_cell")],
    ids=lambda generate: generate.__name__,
)
def test_container_level_refusals_come_from_open_source(tmp_path: Path, generate: Callable[[Path], Path]) -> None:
    # a file that is not safe to load is refused before calamine sees it, not halfway through the rows
    with pytest.raises(UnreadableFile):
        open_source(generate(tmp_path))
