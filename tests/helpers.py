"""Paths and small helpers shared by tests (import as ``from tests.helpers import ...``)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED_TESTDATA = ROOT.parent / "shared" / "testdata"
REAL_PHOTOS = ROOT / "tests" / "data" / "photos-real"  # a selection of SHARED_TESTDATA/photos-real, with its licence
