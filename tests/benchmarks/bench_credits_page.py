"""Measure the Credits page over a large database: first paint, every filter and search, every sort, memory.

``python tests/benchmarks/bench_credits_page.py [--db URL] [--credits 100000] [--repeat 3]``

Without ``--db`` it builds a fresh SQLite file with that many demo credits (the build is not timed). Each
figure runs from the request to the moment the view has painted the new rows. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QDate, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDateEdit, QWidget

from app.bootstrap import AppContext, prepare
from app.models import CreditStatus
from app.services.database import open_database, sqlite_url
from app.services.demo import generate_demo
from app.settings import Settings
from app.ui.credits_page import CreditsPage


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    return -1.0


def _timed(app: QApplication, page: CreditsPage, action: Callable[[], None]) -> float:
    """Seconds from ``action`` to the page having shown (and painted) its new results."""
    loop = QEventLoop()
    page.results_shown.connect(loop.quit)
    QTimer.singleShot(60000, loop.quit)
    start = time.perf_counter()
    action()
    loop.exec()
    page.table_view.viewport().repaint()
    elapsed = time.perf_counter() - start
    page.results_shown.disconnect(loop.quit)
    return elapsed


def _silently(page: CreditsPage, change: Callable[[], None]) -> Callable[[], None]:
    """Change a filter widget without its own signal, then query: times the query, not the typing pause."""

    def run() -> None:
        page.filter_bar.blockSignals(True)
        for child in page.filter_bar.findChildren(QWidget):
            child.blockSignals(True)
        change()
        for child in page.filter_bar.findChildren(QWidget):
            child.blockSignals(False)
        page.filter_bar.blockSignals(False)
        page.refresh()

    return run


def _set_range(start: QDateEdit, end: QDateEdit) -> None:
    start.setDate(QDate(2026, 3, 1))
    end.setDate(QDate(2026, 5, 31))


def _sort_by(page: CreditsPage, column: int, order: Qt.SortOrder) -> Callable[[], None]:
    return lambda: page.table_view.sortByColumn(column, order)


def measure(app: QApplication, context: AppContext, repeat: int) -> dict[str, object]:
    page = CreditsPage(context)
    page.resize(1400, 800)
    first_paint = _timed(app, page, page.show)
    bar = page.filter_bar
    filters: dict[str, Callable[[], None]] = {
        "search_name": lambda: bar.search_edit.setText("rossi"),
        "search_tax_code": lambda: bar.search_edit.setText("RSS"),
        "search_reference": lambda: bar.search_edit.setText("2026-0001"),
        "status": lambda: bar.status_combo.setCurrentIndex(bar.status_combo.findData(CreditStatus.OVERDUE)),
        "due_range": lambda: _set_range(bar.due_from_edit, bar.due_to_edit),
        "roll": lambda: bar.roll_combo.setCurrentIndex(1),
        "administrator": lambda: bar.administrator_combo.setCurrentIndex(1),
        "collector": lambda: bar.collector_combo.setCurrentIndex(1),
    }
    filter_seconds: dict[str, float] = {}
    for name, change in filters.items():
        runs = []
        for _ in range(repeat):
            runs.append(_timed(app, page, _silently(page, change)))
            _timed(app, page, bar.reset)
        filter_seconds[name] = round(max(runs), 3)
    filter_seconds["reset_to_all"] = round(_timed(app, page, bar.reset), 3)
    sort_seconds: dict[str, float] = {}
    for column in range(page.model.columnCount()):
        key = page.model.headerData(column, Qt.Orientation.Horizontal)
        runs = []
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder) * repeat:
            runs.append(_timed(app, page, _sort_by(page, column, order)))
        sort_seconds[str(key)] = round(max(runs), 3)
    scroll_start = time.perf_counter()
    for row in range(0, page.model.rowCount(), max(1, page.model.rowCount() // 50)):
        page.table_view.scrollTo(page.model.index(row, 0))
        page.table_view.viewport().repaint()
    scroll = (time.perf_counter() - scroll_start) / 50
    return {
        "rows": page.model.rowCount(),
        "first_paint_s": round(first_paint, 3),
        "filter_max_s": max(filter_seconds.values()),
        "sort_max_s": max(sort_seconds.values()),
        "scroll_jump_avg_s": round(scroll, 4),
        "filters_s": filter_seconds,
        "sorts_s": sort_seconds,
        "cached_rows": page.model.cached_rows(),
        "rss_mb": _rss_mb(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file with demo data)")
    parser.add_argument("--credits", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    os.environ.setdefault("CREDITDESK_HOME", folder)
    url = args.db or sqlite_url(Path(folder) / "bench.sqlite3")
    db = open_database(url)
    login = prepare(db, user_login="bench")
    if args.db is None:
        generate_demo(db, credits=args.credits, seed=1)
    db.dispose()
    app = QApplication.instance() or QApplication(sys.argv)
    db = open_database(url)  # reopened: the generator's connections and memory do not count
    context = AppContext(db=db, settings=Settings(), user_login=login)
    figures = measure(app, context, args.repeat)  # type: ignore[arg-type]
    figures["database"] = db.dialect
    print(json.dumps(figures))
    db.dispose()


if __name__ == "__main__":
    main()
