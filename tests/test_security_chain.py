"""Issue #18 item 9: a refused secret never rides along in an exception's chain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import srpkit
from srpkit import DeviceSRP, SRPKitError, UserSRP

POOL = "us-east-1_AbC123"
CLIENT = "client1"
DEVICE_KEY = "us-east-1_0f0e0d0c-0b0a-4908-8706-050403020100"
# A long secret with a lone surrogate: any UnicodeEncodeError left in the
# chain would carry all of it in ``.object``.
SECRET = "correct horse battery staple \ud800 and then some more secret text"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        item = todo.pop()
        if item is None or any(item is s for s in seen):
            continue
        seen.append(item)
        todo += [item.__context__, item.__cause__]
    return seen


def _carries_secret(exc: BaseException) -> bool:
    for item in _chain(exc):
        texts = [str(item), repr(item), *(repr(a) for a in item.args)]
        texts += [repr(getattr(item, "object", ""))]
        if any("horse battery" in t for t in texts):
            return True
    return False


CASES: dict[str, Callable[[], Any]] = {
    "password": lambda: UserSRP(POOL, CLIENT, "alice", SECRET),
    "client_secret": lambda: UserSRP(POOL, CLIENT, "alice", "pw", client_secret=SECRET),
    "device_password": lambda: DeviceSRP(
        "-deadbeef", DEVICE_KEY, SECRET, username="alice", client_id=CLIENT
    ),
    "secret_hash": lambda: srpkit.secret_hash("alice", CLIENT, SECRET),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_surrogate_secret_absent_from_exception_chain(name: str) -> None:
    """A secret with a lone surrogate is refused by a typed error whose whole chain omits it."""
    with pytest.raises(SRPKitError) as info:
        CASES[name]()
    assert info.value.fields
    assert not _carries_secret(info.value), [type(e).__name__ for e in _chain(info.value)]
