"""The tags the strict loader's resolver gives nodes (load.py) instead of resolving them.

A home of their own because two stages read them: load builds values from them, and the schema layer
(check/schema.py) uses PLAIN to tell an unquoted `no` (read as false) from a quoted "no"; the number rule
(check/rules_numbers.py) recognises a TooLong value the loader kept unconverted.
"""

from __future__ import annotations

PLAIN, QUOTED, MAP, SEQ = "?plain", "?quoted", "?map", "?seq"


class TooLong(float):
    """A number written with more than MAX_NUMBER_CHARS characters: infinite, remembering its text."""

    text: str

    def __new__(cls, text: str) -> TooLong:
        obj = super().__new__(cls, "-inf" if text.startswith("-") else "inf")
        obj.text = text
        return obj
