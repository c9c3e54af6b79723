"""Where the real third-party sample files live: beside the repository in ``../shared/samples`` (read, never
copied into it), or where ``CREDITDESK_SAMPLES`` says."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_REPOSITORY = Path(__file__).resolve().parents[2]


def samples_dir() -> Path:
    """The samples folder; the tests that need it are skipped, saying why, when it is not there."""
    candidates = [Path(os.environ["CREDITDESK_SAMPLES"])] if os.environ.get("CREDITDESK_SAMPLES") else []
    candidates += [_REPOSITORY.parent / "shared" / "samples", Path("/work/shared/samples")]
    return next((path for path in candidates if path.is_dir()), candidates[0])


def sample(relative: str) -> Path:
    """The sample file at ``relative`` under the samples folder; skips the calling test if it is missing."""
    path = samples_dir() / relative
    if not path.is_file():
        pytest.skip(f"sample file {relative} not found (set CREDITDESK_SAMPLES to the shared samples folder)")
    return path
