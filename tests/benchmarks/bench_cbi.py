"""Time the CBI MAV flow without a database: ``python tests/benchmarks/bench_cbi.py [--count N] [--repeat R]``.

Builds N realistic notices (one creditor with its IBAN, a fifth of the names with accents or typographic
quotes, a tenth with slip text), then times ``write_mav_flow`` (which reads its own output back before
returning), the frame check alone, and ``parse_mav_flow`` of the result. Prints one JSON line with the best
of R runs, wall-clock and CPU seconds, the file size and the record count.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.services.bank.cbi_mav import (
    DebtorCodeType,
    MavCreditor,
    MavDisposition,
    MavFlowHeader,
    write_mav_flow,
)
from app.services.bank.cbi_mav_parse import check_flow_structure, parse_mav_flow

_NAMES = (["Mario", "Giulia", "Paolo", "Anna", "Chiara"], ["Rossi", "Bianchi", "Esposito", "Colombo", "Ricci"])
_ACCENTED = (["Niccolò", "Jürgen", "Léa", "Zoë", "Mattìa"], ["D’Amico", "Müller", "Nicolò", "Peña", "Straße"])
_TOWNS = [("Bologna", "BO", "40121"), ("San Giovanni in Persiceto", "BO", "40017"), ("Forlì", "FC", "47121")]


def _dispositions(count: int, seed: int = 1) -> list[MavDisposition]:
    rng = random.Random(seed)
    creditor = MavCreditor.from_iban(
        "A1B2C", "IT60X0542811101000000123456", ("Consorzio di Bonifica", "della Pianura", "Via Roma 1 Bologna")
    )
    notices = []
    for n in range(1, count + 1):
        firsts, lasts = _NAMES if rng.random() > 0.2 else _ACCENTED
        first, last = rng.choice(firsts), rng.choice(lasts)
        town, province, postcode = rng.choice(_TOWNS)
        notices.append(
            MavDisposition(
                progressive=n, reference=str(100_000 + n), due_date=date(2026, 12, 31) + timedelta(days=n % 60),
                amount=Decimal(rng.randint(100, 500_000)).scaleb(-2), creditor=creditor,
                debtor_code_type=DebtorCodeType.CUSTOMER_CODE, debtor_code=f"C{n:07d}",
                debtor_name=f"{last} {first}", tax_code="RSSMRA80A01H501U", address=f"Via Garibaldi {n % 200}",
                postcode=postcode, town=town, province=province,
                reason=("Contributo consortile 2026", f"Avviso {n}"),
                slip_text=("Pagabile presso qualsiasi sportello bancario o postale",) if n % 10 == 0 else (),
            )
        )  # fmt: skip
    return notices


def _best(repeat: int, action: Callable[[], object]) -> tuple[float, float]:
    # Wall and CPU time both: on a busy machine the wall clock also counts other processes' turns.
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return round(min(walls), 3), round(min(cpus), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=30_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    header = MavFlowHeader("A1B2C", "05428", datetime(2026, 11, 23, 10, 30, 5))
    start = time.perf_counter()
    notices = _dispositions(args.count)
    build = time.perf_counter() - start
    data = write_mav_flow(header, notices)
    figures: dict[str, object] = {"count": args.count, "build_s": round(build, 3)}
    timed = {
        "write_and_verify": lambda: write_mav_flow(header, notices),
        "check_only": lambda: check_flow_structure(data, "bench"),
        "parse": lambda: parse_mav_flow(data, "bench"),
    }
    for name, action in timed.items():
        figures[f"{name}_s"], figures[f"{name}_cpu_s"] = _best(args.repeat, action)
    figures |= {"bytes": len(data), "records": data.count(b"\r\n")}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
