"""Issue #18 item 4: a flood of sign-ins cannot cancel other users' pending sign-ins."""

from __future__ import annotations

import threading

import pytest

from srpkit.endpoint import pending as pending_module
from srpkit.endpoint.pending import Challenge, Pending, SignIns
from srpkit.endpoint.wire import ServiceError


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _pending(client: str, user: str | None, n: int, expires: float = 2000.0) -> Pending:
    names = () if user is not None else (f"typed-{n}",)
    return Pending(
        client, user, Challenge.PASSWORD_VERIFIER, expires, names=names, session=f"s{client}{n}"
    )


def _flood(table: SignIns, client: str, count: int) -> int:
    refused = 0
    for n in range(count):
        try:
            table.file(
                _pending(client, None, 100_000 + n)
            )  # decoys: unknown names, as an attacker sends
        except ServiceError as exc:
            assert exc.code == "TooManyRequestsException"
            refused += 1
    return refused


@pytest.fixture
def small_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Smaller bounds, so the test floods past them quickly."""
    monkeypatch.setattr(pending_module, "_MAX_SESSIONS", 300)
    monkeypatch.setattr(pending_module, "_MAX_PER_CLIENT", 200)


@pytest.mark.usefixtures("small_caps")
def test_unauthenticated_flood_keeps_others_sign_ins() -> None:
    """A flood past every bound is refused; the sign-ins filed before it can still be answered."""
    table = SignIns(threading.Lock(), _Clock())
    mine = _pending("c1", "alice", 0)
    other_client = _pending("c2", "bob", 0)
    table.file(mine)
    table.file(other_client)
    assert _flood(table, "c1", 1000) > 0
    assert table.take("sc10", {}) is mine
    # One app client's flood leaves room for the others.
    third = _pending("c3", "carol", 0)
    table.file(third)
    assert table.take("sc20", {}) is other_client
    assert table.take("sc30", {}) is third


@pytest.mark.usefixtures("small_caps")
def test_one_users_flood_evicts_only_their_own() -> None:
    """Sign-ins for one name evict that name's oldest, never another user's."""
    table = SignIns(threading.Lock(), _Clock())
    bob = _pending("c1", "bob", 0)
    table.file(bob)
    for n in range(1, 100):
        table.file(_pending("c1", "alice", n))
    assert table.take("sc10", {}) is bob
    assert len(table) == pending_module._MAX_PER_USER


@pytest.mark.usefixtures("small_caps")
def test_expired_sign_ins_free_room() -> None:
    """Once the flood's sign-ins expire, new sign-ins are filed again."""
    clock = _Clock()
    table = SignIns(threading.Lock(), clock)
    _flood(table, "c1", 400)
    with pytest.raises(ServiceError):
        table.file(_pending("c1", "alice", 9999))
    clock.now = 3000.0
    table.file(_pending("c1", "alice", 9999))
    assert len(table) == 1
