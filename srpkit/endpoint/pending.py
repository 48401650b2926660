"""Sign-ins between two calls: the challenges the endpoint issues and the table of those not yet answered.

A pending sign-in is filed under the Session string it sent and under the
SECRET_BLOCK its SRP challenge issued: Cognito sends PASSWORD_VERIFIER without
a Session, so the answer is found by the block it carries. Memory only (a
sign-in's ephemeral ``b`` is never stored).
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Union

from ..server import DeviceServerSRP, ServerSRP

__all__ = ["Challenge", "Pending", "SignIns"]

_MAX_SESSIONS = 10000
_SESSION_KEY = "Session:"
_BLOCK_KEY = "SECRET_BLOCK:"
_SRP_SERVER = Union[ServerSRP, DeviceServerSRP]


class Challenge(str, enum.Enum):
    """A challenge the endpoint issues: a closed set, str-valued as ChallengeName carries it."""

    PASSWORD_VERIFIER = "PASSWORD_VERIFIER"  # noqa: S105 - a challenge name
    DEVICE_SRP_AUTH = "DEVICE_SRP_AUTH"
    DEVICE_PASSWORD_VERIFIER = "DEVICE_PASSWORD_VERIFIER"  # noqa: S105 - a challenge name
    NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED"  # noqa: S105 - a challenge name
    SELECT_CHALLENGE = "SELECT_CHALLENGE"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def named(cls, name: str | None) -> Challenge | None:
        """The challenge a ChallengeName names, or None for one the endpoint never issues."""
        try:
            return cls(name)
        except ValueError:
            return None


@dataclass
class Pending:
    """One sign-in between two calls: what the Session string stands for (memory only)."""

    client_id: str
    username: str | None  # None: a decoy sign-in of an unknown user
    challenge: Challenge
    expires: float
    server: _SRP_SERVER | None = None
    names: tuple[str, ...] = ()  # the name the client signs in with, if not the username
    device_key: str | None = None
    # The keys it is filed under in SignIns: a Session string the client may send, and
    # the SECRET_BLOCK its SRP challenge issued (Cognito sends PASSWORD_VERIFIER
    # without a Session, so the answer is found by the block it carries).
    session: str | None = None
    block: str | None = None


def _keys(pending: Pending) -> list[str]:
    keys = [] if pending.session is None else [_SESSION_KEY + pending.session]
    return keys if pending.block is None else [*keys, _BLOCK_KEY + pending.block]


class SignIns:
    """The pending sign-ins, guarded by the service's one lock (given, not owned)."""

    def __init__(self, lock: threading.Lock, clock: Callable[[], float]) -> None:
        self._lock = lock
        self._clock = clock
        self._table: dict[str, Pending] = {}

    def file(self, pending: Pending) -> None:
        """Keep ``pending`` under its Session and SECRET_BLOCK until answered or expired."""
        now = self._clock()
        with self._lock:
            if len(self._table) >= _MAX_SESSIONS:
                for old in [p for p in self._table.values() if p.expires < now]:
                    self._unfile(old)
                while len(self._table) >= _MAX_SESSIONS:
                    self._unfile(next(iter(self._table.values())))
            for key in _keys(pending):
                self._table[key] = pending

    def _unfile(self, pending: Pending) -> None:
        for key in _keys(pending):
            self._table.pop(key, None)

    def take(self, session: str | None, responses: Mapping[str, str]) -> Pending | None:
        """The sign-in an answer continues, removed (one answer per challenge, right or wrong).

        Found by the Session when one is sent, else by the SECRET_BLOCK the answer
        carries. A Session that names another sign-in than the block (or none) ends
        the block's sign-in too, and the answer is refused.
        """
        block = responses.get("PASSWORD_CLAIM_SECRET_BLOCK")
        with self._lock:
            by_block = self._table.get(_BLOCK_KEY + block) if block else None
            by_session = self._table.get(_SESSION_KEY + session) if session else None
            pending = by_session if session else by_block
            for found in (by_block, by_session):
                if found is not None:
                    self._unfile(found)
        if block and by_block is not pending:
            return None
        return pending
