"""Python's cyclic garbage collector paused while a bulk job holds many objects without cycles."""

from __future__ import annotations

from contextlib import contextmanager


@contextmanager
def collector_paused():
    """Automatic cyclic collection off inside the block, then as it was (the GUI runs with it off already).

    A big merge or demo holds hundreds of thousands of row versions, tuples and dicts that form no
    reference cycles; every collection meanwhile traversed all of them again (seconds per collection of
    the oldest generation at county scale, ~6–10 % of a merge's or a demo's CPU). Reference counting
    frees them as before. Callers that keep a big structure alive past the block should free it before
    the collector comes back on, or its first collections walk it once more."""
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
