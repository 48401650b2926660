"""Issue #18 item 5: ``--state FILE`` refuses a file others could plant or read, and corrupt rows."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from srpkit.endpoint.state import PoolRecord, SQLiteStore, StateFileError

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX owners and modes")


def _foreign_db(path: Path, mode: int) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (body TEXT)")
    db.commit()
    db.close()
    path.chmod(mode)


@posix_only
@pytest.mark.parametrize("mode", [0o666, 0o644, 0o620])
def test_state_file_open_to_others_refused(tmp_path: Path, mode: int) -> None:
    """A state file others may read or write is refused, saying how to fix it, and left as found."""
    path = tmp_path / "state.db"
    _foreign_db(path, 0o600)
    path.chmod(mode)
    before = path.read_bytes()
    with pytest.raises(StateFileError, match="chmod 600"):
        SQLiteStore(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "state.db-wal").exists()


@posix_only
def test_state_file_of_another_owner_refused(tmp_path: Path) -> None:
    """A state file owned by another uid (even 0600) is refused before SQLite touches it."""
    path = tmp_path / "state.db"
    _foreign_db(path, 0o600)
    if os.getuid() == 0:
        os.chown(path, 65534, 65534)
        with pytest.raises(StateFileError, match="owned by another user"):
            SQLiteStore(path)
    else:
        pytest.skip("needs root to hand a file to another uid")


def test_foreign_database_journal_mode_untouched(tmp_path: Path) -> None:
    """Our own but non-srpkit SQLite file is refused with its journal mode still the default."""
    path = tmp_path / "other.db"
    _foreign_db(path, 0o600)
    with pytest.raises(StateFileError, match="not an srpkit state file"):
        SQLiteStore(path)
    # Header bytes 18-19 are 1 for a rollback journal, 2 for WAL.
    assert path.read_bytes()[18:20] == b"\x01\x01"
    assert not (tmp_path / "other.db-wal").exists()


def test_fresh_state_file_private_and_reopens(tmp_path: Path) -> None:
    """A state file srpkit creates is 0600 and opens again (the checks refuse only others' files)."""
    path = tmp_path / "state.db"
    store = SQLiteStore(path)
    store.put(PoolRecord(id="us-east-1_AbC123", name="p", created=1.0))
    store.close()
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600
    again = SQLiteStore(path)
    assert [r.id for r in again.load() if isinstance(r, PoolRecord)] == ["us-east-1_AbC123"]
    again.close()


@pytest.mark.parametrize(
    "data",
    [
        "not json",
        "[1, 2]",
        '{"id": "us-east-1_AbC123"}',
        '{"id": 7, "name": "p", "created": 1.0}',
        '{"id": "us-east-1_AbC123", "name": "p", "created": 1.0, "username_attributes": "email"}',
        '{"id": "us-east-1_AbC123", "name": "p", "created": true}',
    ],
)
def test_corrupt_row_is_typed_error_naming_table(tmp_path: Path, data: str) -> None:
    """A damaged row makes start-up fail with StateFileError naming its table, never a traceback."""
    path = tmp_path / "state.db"
    store = SQLiteStore(path)
    store.put(PoolRecord(id="us-east-1_AbC123", name="p", created=1.0, signing_key="SECRETPEM"))
    store.close()
    db = sqlite3.connect(path)
    db.execute("UPDATE pools SET data = ?", [data])
    db.commit()
    db.close()
    again = SQLiteStore(path)
    try:
        with pytest.raises(StateFileError, match="table 'pools'") as info:
            again.load()
        assert "SECRETPEM" not in str(info.value)
    finally:
        again.close()
