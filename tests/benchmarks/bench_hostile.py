"""Time the refusal of each hostile file: ``python tests/benchmarks/bench_hostile.py [--only NAME] [--keep DIR]``.

Each file is written by ``tests/support/hostile_files.py`` into a temporary folder, then opened and read in a
fresh interpreter started for that file alone, so that its peak memory is its own: the measuring process runs the
reader as its only child and reports ``getrusage(RUSAGE_CHILDREN).ru_maxrss``. Prints one JSON line per file
(seconds to refuse inside the child, wall seconds including interpreter start, peak RSS in MB, the message).
A first line measures a child that only imports the readers: the baseline every other figure includes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.hostile_files import HOSTILE

LIMIT_SECONDS = 2.0
LIMIT_RSS_MB = 200.0


def _peak_rss_mb(usage_kb: int) -> float:
    return round(usage_kb / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def refuse(path: str | None) -> None:
    """In the reading child: open and read ``path`` to the end, print seconds and the outcome as JSON."""
    from app.services.errors import UnreadableFile
    from app.services.imports.sources import open_source

    started = time.perf_counter()
    outcome = "imports only"
    if path is not None:
        try:
            with open_source(Path(path)) as source:
                for sheet in source.sheet_names():
                    for _ in source.rows(sheet):
                        pass
            outcome = "ACCEPTED"
        except UnreadableFile as error:
            outcome = str(error)
    print(json.dumps({"seconds": round(time.perf_counter() - started, 3), "message": outcome}))


def measure(path: str | None) -> None:
    """In the measuring child: run the reading child, then add its peak memory to what it printed."""
    import resource

    command = [sys.executable, __file__, "--refuse"] + ([path] if path else [])
    started = time.perf_counter()
    finished = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    wall = time.perf_counter() - started
    lines = finished.stdout.strip().splitlines()
    figures = json.loads(lines[-1]) if finished.returncode == 0 and lines else {"message": finished.stderr[-300:]}
    figures["wall_seconds"] = round(wall, 3)
    figures["rss_mb"] = _peak_rss_mb(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    figures["exit_code"] = finished.returncode
    print(json.dumps(figures))


def run(only: str | None, keep: Path | None) -> None:
    """Write each hostile file, measure its refusal in fresh processes, print one JSON line per file."""
    with tempfile.TemporaryDirectory() as temporary:
        folder = keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        cases: list[tuple[str, str | None, str]] = [("baseline", None, "imports only")]
        for generate, expected in HOSTILE:
            name = generate.__name__.removesuffix("_file")
            if only is None or only == name:
                cases.append((name, str(generate(folder)), expected))
        for name, path, expected in cases:
            command = [sys.executable, __file__, "--measure"] + ([path] if path else [])
            output = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False).stdout
            figures = json.loads(output.strip().splitlines()[-1])
            refused = expected in figures.get("message", "")
            within = figures.get("seconds", 99) <= LIMIT_SECONDS and figures["rss_mb"] <= LIMIT_RSS_MB
            line = {"benchmark": "hostile", "file": name, **figures, "refused": refused, "within_limits": within}
            if path:
                line["bytes"] = Path(path).stat().st_size
            print(json.dumps(line, ensure_ascii=False), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=None, help="measure only this file (generator name without _file)")
    parser.add_argument("--keep", type=Path, default=None, help="write the files here and leave them")
    parser.add_argument("--refuse", nargs="?", const="", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--measure", nargs="?", const="", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.refuse is not None:
        refuse(args.refuse or None)
    elif args.measure is not None:
        measure(args.measure or None)
    else:
        run(args.only, args.keep)


if __name__ == "__main__":
    main()
