"""Python's cyclic garbage collector paused while a stage builds a county's worth of small objects.

Load, check, analyse and the internal render each make hundreds of thousands of dicts, lists and strings
and free them by reference counting; none of them makes reference cycles worth collecting. The collector's
passes over that growing heap took 15–33 % of each stage at county scale (measured per stage, see
bench/README.md), so those stages run inside `paused()`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off for the block, and on again afterwards if it was on before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
