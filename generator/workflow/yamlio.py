"""YAML text from a git revision → data, through the same strict loader as content/.

check-pr and codeowners read files from revisions, not from the content tree; the findings of
those files are the validator's job, so here only "usable or not" matters.
"""

from __future__ import annotations

from typing import Any

import yaml

from generator.load import parse_text


def parse(text: str) -> Any:
    """The data of a YAML text (dates stay strings); raises yaml.YAMLError when it has none."""
    data, findings, ok = parse_text(text, "<revision>")
    if not ok:
        raise yaml.YAMLError(findings[0].message if findings else "无法读取的 YAML")
    return data
