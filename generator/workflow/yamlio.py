"""Reading YAML text the way the loader does for data (safe, dates kept as strings).

check-pr reads files from git revisions, not from content/, so it has its own tiny loader
instead of the strict content loader (which reports findings; the validator does that part).
"""

from __future__ import annotations

import yaml

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DataLoader(_Base):
    """Safe loader without the timestamp rule: `2024-08-01` stays the string the schemas expect."""


DataLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in rs if tag != "tag:yaml.org,2002:timestamp"]
    for ch, rs in _Base.yaml_implicit_resolvers.items()
}


def parse(text: str):
    """The data of a YAML text; raises yaml.YAMLError."""
    return yaml.load(text, Loader=DataLoader)
