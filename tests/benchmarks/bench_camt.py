"""Time the camt statement reader: ``python tests/benchmarks/bench_camt.py [--entries N] [--version V] [--cbi]
[--pretty]``.

Writes a realistic camt.053 of N entries (a tenth batched with 2 to 5 details, 2% reversed, 1% pending, with
correct TxsSummry and balances; ``--pretty`` indents it as banks do), then reads it with ``read_statement_file``
in a fresh process, so that the peak RSS is the reader's own. Prints one JSON line: file size, write and read
seconds (wall-clock and CPU), the transactions read, the reader process's RSS before reading and at its peak,
and a calibration figure (the milliseconds ``sum(range(10**6))`` takes here) to compare machines.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _memory_mb(key: str) -> float | None:
    # VmHWM, not getrusage: a child's ru_maxrss starts from its parent's at fork, and the parent holds the data.
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    kilobytes = next(int(line.split()[1]) for line in status.splitlines() if line.startswith(f"{key}:"))
    return round(kilobytes / 1024, 1)


def _calibration_ms() -> float:
    best = min(_timed(lambda: sum(range(10**6))) for _ in range(5))
    return round(best * 1000, 1)


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _read(path: Path) -> None:
    from app.services.bank.camt import read_statement_file

    before = _memory_mb("VmRSS")
    started, cpu_started = time.perf_counter(), time.process_time()
    result = read_statement_file(path)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    figures = {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu, 2),
        "rss_before_mb": before,
        "peak_rss_mb": _memory_mb("VmHWM"),
        "transactions": sum(len(statement.transactions) for statement in result.statements),
        "skipped_pending": result.skipped_pending,
    }
    print(json.dumps(figures))


def _run_read(path: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--phase", "read", "--file", str(path)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--version", choices=("001.02", "001.08"), default="001.02")
    parser.add_argument("--cbi", action="store_true", help="wrap the statement in the CBI envelope (001.02 only)")
    parser.add_argument("--pretty", action="store_true", help="indent the XML as banks do (more bytes to parse)")
    parser.add_argument("--phase", choices=("read",), help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        _read(args.file)
        return
    from tests.support.camt_files import StatementHeader, random_entries, write_statement

    figures: dict[str, object] = {"benchmark": "camt", "entries": args.entries, "version": args.version}
    figures.update(cbi=args.cbi, pretty=args.pretty)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "estratto.xml"
        entries = random_entries(args.entries, v08=args.version >= "001.08")
        started = time.perf_counter()
        header = StatementHeader(version=args.version, cbi=args.cbi, pretty=args.pretty)
        written = write_statement(path, entries, header)
        figures["write_s"] = round(time.perf_counter() - started, 2)
        figures["file_mb"] = round(path.stat().st_size / 2**20, 1)
        figures["booked_items_written"] = written.booked_items
        read = _run_read(path)
    names = ("seconds", "cpu_seconds", "transactions", "skipped_pending", "rss_before_mb", "peak_rss_mb")
    figures.update({f"read_{name}": read[name] for name in names})
    figures["calibration_ms"] = _calibration_ms()
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
