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
from dataclasses import dataclass, field

from ..server import DeviceServerSRP, ServerSRP
from .wire import ServiceError

__all__ = ["Challenge", "Pending", "SignIns"]

# Bounds on sign-ins in progress (issue #18): a flood of unauthenticated
# InitiateAuth calls must not cancel others' sign-ins. A user's own oldest
# sign-in makes room for their next; past the per-client or overall bound a new
# one is refused (TooManyRequestsException, as Cognito throttles) and nobody's
# pending sign-in is evicted; all of them expire.
_MAX_SESSIONS = 10000
_MAX_PER_CLIENT = 5000
_MAX_PER_USER = 8
_SESSION_KEY = "Session:"
_BLOCK_KEY = "SECRET_BLOCK:"
_SRP_SERVER = ServerSRP | DeviceServerSRP


class Challenge(str, enum.Enum):
    """A challenge the endpoint issues: a closed set, str-valued as ChallengeName carries it."""

    PASSWORD_VERIFIER = "PASSWORD_VERIFIER"  # noqa: S105 - a challenge name
    DEVICE_SRP_AUTH = "DEVICE_SRP_AUTH"
    DEVICE_PASSWORD_VERIFIER = "DEVICE_PASSWORD_VERIFIER"  # noqa: S105 - a challenge name
    NEW_PASSWORD_REQUIRED = "NEW_PASSWORD_REQUIRED"  # noqa: S105 - a challenge name
    SELECT_CHALLENGE = "SELECT_CHALLENGE"
    SOFTWARE_TOKEN_MFA = "SOFTWARE_TOKEN_MFA"  # noqa: S105 - a challenge name
    MFA_SETUP = "MFA_SETUP"

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
    # Both are bearer credentials of the sign-in in progress: kept out of the repr.
    session: str | None = field(default=None, repr=False)
    block: str | None = field(default=None, repr=False)
    # MFA_SETUP: VerifySoftwareToken succeeded, so the challenge may now be answered.
    mfa_verified: bool = False


def _user_of(pending: Pending) -> tuple[str, str]:
    # A decoy (unknown user) is counted by the name it was asked for, like a real one.
    name = pending.username if pending.username is not None else "".join(pending.names[:1])
    return pending.client_id, name


def _keys(pending: Pending) -> list[str]:
    keys = [] if pending.session is None else [_SESSION_KEY + pending.session]
    return keys if pending.block is None else [*keys, _BLOCK_KEY + pending.block]


class SignIns:
    """The pending sign-ins, guarded by the service's one lock (given, not owned)."""

    def __init__(self, lock: threading.Lock, clock: Callable[[], float]) -> None:
        self._lock = lock
        self._clock = clock
        self._table: dict[str, Pending] = {}
        # Every filed sign-in once (by identity, oldest first), and per user and client.
        self._filed: dict[int, Pending] = {}
        self._by_user: dict[tuple[str, str], list[Pending]] = {}
        self._per_client: dict[str, int] = {}

    def file(self, pending: Pending) -> None:
        """Keep ``pending`` under its Session and SECRET_BLOCK until answered or expired.

        Raises ServiceError (TooManyRequestsException) when its client, or the
        endpoint, already holds as many sign-ins in progress as it may.
        """
        now = self._clock()
        user = _user_of(pending)
        with self._lock:
            self._unfile(pending)  # filed again (a next step): counted once
            if len(self._filed) >= _MAX_SESSIONS or (
                self._per_client.get(pending.client_id, 0) >= _MAX_PER_CLIENT
            ):
                for old in [p for p in self._filed.values() if p.expires < now]:
                    self._unfile(old)
            mine = self._by_user.get(user, [])
            while len(mine) >= _MAX_PER_USER:
                self._unfile(mine[0])
                mine = self._by_user.get(user, [])
            if len(self._filed) >= _MAX_SESSIONS or (
                self._per_client.get(pending.client_id, 0) >= _MAX_PER_CLIENT
            ):
                raise ServiceError(
                    "TooManyRequestsException",
                    "Too many sign-ins in progress; try again later.",
                )
            for key in _keys(pending):
                self._table[key] = pending
            self._filed[id(pending)] = pending
            self._by_user.setdefault(user, []).append(pending)
            self._per_client[pending.client_id] = self._per_client.get(pending.client_id, 0) + 1

    def __len__(self) -> int:
        """How many sign-ins are in progress."""
        with self._lock:
            return len(self._filed)

    def _unfile(self, pending: Pending) -> None:
        for key in _keys(pending):
            self._table.pop(key, None)
        if self._filed.pop(id(pending), None) is None:
            return
        user = _user_of(pending)
        mine = self._by_user.get(user, [])
        mine[:] = [p for p in mine if p is not pending]
        if not mine:
            self._by_user.pop(user, None)
        left = self._per_client.get(pending.client_id, 1) - 1
        if left > 0:
            self._per_client[pending.client_id] = left
        else:
            self._per_client.pop(pending.client_id, None)

    def take(self, session: str | None, responses: Mapping[str, str]) -> Pending | None:
        """The sign-in an answer continues, removed (one answer per challenge, right or wrong).

        Found by the Session when one is sent, else by the SECRET_BLOCK the answer
        carries. A Session that names another sign-in than the block's (or none)
        ends the block's sign-in too, and the answer is refused; a block that names
        no sign-in in progress does not spoil a good Session.
        """
        block = responses.get("PASSWORD_CLAIM_SECRET_BLOCK")
        with self._lock:
            by_block = self._table.get(_BLOCK_KEY + block) if block else None
            by_session = self._table.get(_SESSION_KEY + session) if session else None
            pending = by_session if session else by_block
            for found in (by_block, by_session):
                if found is not None:
                    self._unfile(found)
        # A block naming another live sign-in than the Session refuses both; a spent or
        # unknown block beside a good Session is ignored (the AWS SDK v3's DEVICE_SRP_AUTH
        # answer carries the PASSWORD_VERIFIER step's block again, and Cognito accepts it).
        if block and (by_block is not pending) and (by_block is not None or not session):
            return None
        return pending
