"""Files shipped inside the package: translations and icons, found wherever the package is installed."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_dir(name: str) -> Path:
    """The folder of one kind of resource (``translations``, ``icons``) inside the installed package."""
    return Path(str(resources.files(__name__) / name))


def translations_dir() -> Path:
    """The folder of CreditDesk's compiled translations (``creditdesk_<lang>.qm``)."""
    return resource_dir("translations")


def icon_path(name: str) -> Path:
    """The SVG file of the icon ``name`` (without extension)."""
    return resource_dir("icons") / f"{name}.svg"
