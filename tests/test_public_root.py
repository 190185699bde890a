"""The public site builds from a root that holds only content/, schemas/ and mkdocs.yml.

mkdocs resolves theme.custom_dir relative to the config file; the overrides belong to the generator,
so a copy of the content elsewhere (zhiqian build --root /tmp/x) must still find them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _paths import copy_fixture_tree
from click.testing import CliRunner

from generator.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "tree"  # frozen inputs

pytestmark = pytest.mark.slow


def test_public_site_builds_from_a_copy_of_the_content(tmp_path):
    root = copy_fixture_tree(tmp_path / "copy")
    result = CliRunner().invoke(cli, ["build", "--only", "public", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "custom_dir" not in result.output
    index = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "zq-sample-banner" in index  # the generator's theme override is in use
    assert (root / "site" / "search" / "search_index.json").is_file()
