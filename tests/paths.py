"""Where things are: the repository, and the tests' own data (one home, whatever a test's depth)."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
DATA = TESTS / "data"
