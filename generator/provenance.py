"""Provenance: when each return first landed on main, by whom, and its later changes.

INTERIM: returns no history; the internal-charts issue implements the one-pass git log.
"""

from __future__ import annotations

from pathlib import Path


def collect(root: Path) -> dict:
    return {}
