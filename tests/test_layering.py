"""Imports run ui → services → models, never back, and no Qt below the ui: in the source and at run time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"

# What each layer must never import (a prefix matches the package and everything in it).
FORBIDDEN = {
    "app.models": ("PySide6", "shiboken6", "app.services", "app.ui", "app.bootstrap", "app.cli"),
    "app.services": ("PySide6", "shiboken6", "app.ui", "app.cli"),
    # No SQL in a widget: queries and sessions belong to the services (parsing a URL is fine).
    "app.ui": (
        "sqlalchemy.orm",
        "sqlalchemy.sql",
        "sqlalchemy.select",
        "sqlalchemy.text",
        "sqlalchemy.func",
        "app.services.database.read_session",
        "app.services.unit_of_work",
    ),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, is_package: bool) -> set[str]:
    """Every module an import statement in ``source`` names, relative imports resolved; dynamic ones too."""
    package = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names.add(node.args[0].value)
    return names


def violations(layer: str, module: str, names: set[str]) -> list[str]:
    return sorted(
        f"{module} imports {name}"
        for name in names
        for forbidden in FORBIDDEN[layer]
        if name == forbidden or name.startswith(forbidden + ".")
    )


def layer_files(layer: str) -> list[Path]:
    return sorted((APP.parent / layer.replace(".", "/")).rglob("*.py"))


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_no_module_imports_a_forbidden_layer(layer: str) -> None:
    files = layer_files(layer)
    assert len(files) > 3, f"no modules found under {layer}: the walk is broken"

    found = [
        problem
        for path in files
        for problem in violations(
            layer,
            module_name(path),
            imported_modules(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py"),
        )
    ]

    assert found == []


@pytest.mark.parametrize(
    ("source", "module", "caught"),
    [
        ("from PySide6.QtWidgets import QDialog", "app.services.x", "PySide6.QtWidgets"),
        ("import PySide6.QtGui as gui", "app.services.x", "PySide6.QtGui"),
        ("from PySide6 import QtCore", "app.models.x", "PySide6"),
        ("from ..ui import main_window", "app.services.x", "app.ui"),
        ("from ..services.database import Database", "app.models.x", "app.services.database"),
        ("from .. import ui", "app.services.x", "app.ui"),
        ("import importlib\nimportlib.import_module('app.ui.ops')", "app.services.x", "app.ui.ops"),
        ("def later():\n    from app.ui import ops", "app.services.x", "app.ui"),
        ("from app.models import Credit\nfrom . import errors", "app.services.x", None),
        ("from app.uikit import thing", "app.services.x", None),
        ("from app.services.errors import InvalidInput", "app.services.x", None),
    ],
)
def test_the_checker_sees_what_it_must(source: str, module: str, caught: str | None) -> None:
    layer = ".".join(module.split(".")[:2])

    found = violations(layer, module, imported_modules(source, module, is_package=False))

    if caught is None:
        assert found == []
    else:
        assert f"{module} imports {caught}" in found


def test_importing_models_and_services_loads_no_qt() -> None:
    """At run time too: importing every model and service module, however indirectly, loads no PySide6."""
    script = """
import importlib, pkgutil, sys
import app.models, app.services
for package in (app.models, app.services):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if ".migrations." not in info.name:
            importlib.import_module(info.name)
print("\\n".join(sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6", "app.ui")))))
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=APP.parent,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == []
