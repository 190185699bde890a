"""Privacy, two lines of defence for the public site and the posters.

1. `public_view`: a copy of the content holding only the fields the JSON Schemas mark "x-public"
   (a nested field only when every ancestor is public too). The public renderer sees nothing else.
2. `scan_site` / `scan_posters` (privacy_scan.py): the built site, its search index and the posters'
   PDF text, scanned with the one detector (detect.py). Published numbers are recognised from the data
   (`public_numbers`), so a hotline that is a mobile number is no false alarm.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields
from pathlib import Path

from generator.model import Content
from generator.public_fields import (  # noqa: F401
    _resolve,
    is_phone_field,
    load_schemas,
    public_leaves,
    public_record,
    published_numbers,
)

# Content attribute → schema kind, for the records that are dicts (or dicts of dicts).
_SINGLE = ("settings", "town", "taskforce", "responsibilities")
_MANY = {"projects": "project", "enterprises": "enterprise", "returns": "return"}


# --------------------------------------------------------------------------- public view

def public_view(content: Content, schemas_dir: Path) -> Content:
    """A new Content with only x-public fields. Clues have no public field: they are dropped."""
    schemas = load_schemas(schemas_dir)

    def view(data: dict, kind: str) -> dict:
        if kind not in schemas:  # no schema, no proof that anything is public
            return {}
        return public_record(data, schemas[kind])

    single = {name: view(getattr(content, name) or {}, name) for name in _SINGLE}
    many = {name: _Filtered(getattr(content, name), lambda rec, kind=kind: view(rec, kind))
            for name, kind in _MANY.items()}
    publicity = [view(e, "publicity") for e in content.publicity]
    # Built field by field, not with dataclasses.replace: a field added to Content later stops the
    # build here until someone decides what of it is public, instead of passing through unfiltered.
    handled = {**single, **many, "publicity": publicity, "clues": [], "issued": {},  # register: internal
               "pages": dict(content.pages), "root": content.root}
    unknown = {f.name for f in fields(content) if f.init} - handled.keys()
    if unknown:
        raise TypeError(f"public_view: are these Content fields public? {sorted(unknown)}")
    return type(content)(**handled)


class _Filtered(Mapping):
    """A read-only mapping whose records are filtered when first read: the public site reads no return,
    and filtering a county's 27,000 of them took a second of every build."""

    def __init__(self, records: dict, view: Callable[[dict], dict]):
        self._records = records
        self._view = view
        self._seen: dict = {}

    def __getitem__(self, key):
        if key not in self._seen:
            self._seen[key] = self._view(self._records[key])
        return self._seen[key]

    def __iter__(self):
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)


def public_numbers(content: Content, schemas_dir: Path) -> set[str]:
    """published_numbers of a whole Content."""
    schemas = load_schemas(schemas_dir)
    records = [(getattr(content, name) or {}, schemas[name]) for name in _SINGLE if name in schemas]
    for name, kind in _MANY.items():
        if kind in schemas:
            records += [(rec, schemas[kind]) for rec in getattr(content, name).values()]
    if "publicity" in schemas:
        records += [(e, schemas["publicity"]) for e in content.publicity]
    return published_numbers(records)


def mask_id(value: object) -> str:
    """An ID-card or bank number as even the office pages show it: only its ends (detect.mask)."""
    digits = str(value or "")
    return digits if len(digits) < 8 else mask(digits)


# The scans live in privacy_scan.py; these names stay importable from here.
from generator.detect import id_number_valid, luhn_valid, mask  # noqa: E402
from generator.privacy_scan import Problem, scan_posters, scan_site, scan_text  # noqa: E402

__all__ = ["Problem", "id_number_valid", "load_schemas", "luhn_valid", "mask", "mask_id", "public_leaves",
           "public_numbers", "public_record", "public_view", "published_numbers", "scan_posters",
           "scan_site", "scan_text"]
