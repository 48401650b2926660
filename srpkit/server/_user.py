"""USER_SRP_AUTH, server side: what a pool stores for a password, and one PASSWORD_VERIFIER sign-in."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from .._core.caps import MAX_SALT_HEX, MAX_SRP_B_HEX
from .._core.checks import Problems, check_password, check_username, pool_name
from .._core.encoding import int_from_hex_field, java_hex
from .._core.errors import InvalidInputError
from .._core.srp import private_key, verifier
from .._core.timestamp import DEFAULT_MAX_SKEW
from ._session import Session, check_verifier

__all__ = ["ServerSRP", "make_verifier"]

_SALT_BYTES = 16  # Cognito's salts are 128 bits


def _salt_value(salt: object, field: str) -> int:
    return int_from_hex_field(
        salt, field, max_len=MAX_SALT_HEX, allow_negative=True, error=InvalidInputError
    )


def _verifier_value(verifier_hex: object) -> int:
    v = int_from_hex_field(
        verifier_hex, "verifier_hex", max_len=MAX_SRP_B_HEX, error=InvalidInputError
    )
    return check_verifier(v, "verifier_hex")


def make_verifier(
    pool_id: str, username: str, password: str, *, salt: str | None = None
) -> tuple[str, str]:
    """(SALT hex, verifier hex) a user pool stores for ``password``: v = g^x mod N.

    ``username`` is the name the client will sign, i.e. the USER_ID_FOR_SRP the
    server will send (the user's Cognito username, not an email alias). ``salt``
    is hex as Cognito sends SALT; by default 128 random bits. Both are returned
    as Cognito prints numbers (minimal hex, see ``srpkit._core.encoding.java_hex``).
    """
    problems = Problems()
    problems.check(pool_name, pool_id)
    problems.check(check_username, username)
    problems.check(check_password, password)
    if salt is not None:
        problems.check(_salt_value, salt, "salt")
    problems.raise_any()
    if salt is None:
        salt = java_hex(int.from_bytes(secrets.token_bytes(_SALT_BYTES), "big"))
    x = private_key(_salt_value(salt, "salt"), pool_name(pool_id), username, password)
    return salt, java_hex(verifier(x))


class ServerSRP(Session):
    """One USER_SRP_AUTH sign-in, server side: issue PASSWORD_VERIFIER, then check the answer.

    ``username`` is the user's Cognito username: what the verifier was made
    with, and what USER_ID_FOR_SRP and USERNAME carry in the challenge (clients
    sign it). ``aliases`` are other names the user may sign in with (email,
    phone number, preferred_username): ``start`` and ``verify`` accept them as
    USERNAME, but the signature is always checked over ``username``.

    With ``client_secret`` (and ``client_id``), SECRET_HASH is required in
    ``start`` (over the USERNAME sent) and in ``verify`` (over the USERNAME
    answered), as for an app client with a secret.

    ``small_b`` and ``secret_block`` fix the server's randomness, for tests only.
    """

    __slots__ = ()

    def __init__(
        self,
        pool_id: str,
        username: str,
        salt_hex: str,
        verifier_hex: str,
        *,
        small_b: int | None = None,
        secret_block: bytes | None = None,
        aliases: Iterable[str] = (),
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> None:
        problems = Problems()
        problems.check(pool_name, pool_id)
        problems.check(check_username, username)
        problems.check(_salt_value, salt_hex, "salt_hex")
        problems.check(_verifier_value, verifier_hex)
        self.check_common(
            problems,
            aliases=aliases,
            client_id=client_id,
            client_secret=client_secret,
            small_b=small_b,
            secret_block=secret_block,
        )
        problems.raise_any()
        self._setup(
            realm=pool_name(pool_id),
            user_id=username,
            username=username,
            aliases=aliases,
            salt_text=salt_hex,
            v=_verifier_value(verifier_hex),
            small_b=small_b,
            secret_block=secret_block,
            client_id=client_id,
            client_secret=client_secret,
        )

    def __repr__(self) -> str:
        return (
            f"ServerSRP(pool_name={self._realm!r}, username={self._user_id!r}, "
            f"verifier=<redacted>, state={self._state.value!r})"
        )

    def start(self, auth_parameters: Mapping[str, str]) -> dict[str, str]:
        """Answer InitiateAuth's USER_SRP_AUTH AuthParameters with PASSWORD_VERIFIER's parameters.

        Checks USERNAME (the username or an alias) and SECRET_HASH, then issues
        the challenge as ``challenge_parameters(SRP_A)`` does.
        """
        params = self._start(auth_parameters, "auth_parameters", ("USERNAME", "SRP_A"), None)
        return self._named(params)

    def challenge_parameters(self, srp_a: str) -> dict[str, str]:
        """PASSWORD_VERIFIER's ChallengeParameters for the client's SRP_A.

        SALT, SRP_B (B = k*v + g^b mod N), SECRET_BLOCK (random, opaque),
        USERNAME and USER_ID_FOR_SRP (both the Cognito username). SRP_A that is
        0 modulo N or oversized is refused before any big arithmetic.
        """
        return self._named(self._issue(srp_a))

    def _named(self, params: dict[str, str]) -> dict[str, str]:
        params["USERNAME"] = self._user_id
        params["USER_ID_FOR_SRP"] = self._user_id
        return params

    def verify(
        self,
        challenge_responses: Mapping[str, str],
        *,
        now: datetime | None = None,
        max_skew: timedelta = DEFAULT_MAX_SKEW,
    ) -> None:
        """Check PASSWORD_VERIFIER's ChallengeResponses; raise VerificationError unless all is right.

        USERNAME must be this user (username or alias), PASSWORD_CLAIM_SECRET_BLOCK
        the SECRET_BLOCK issued, TIMESTAMP exactly Cognito's format and within
        ``max_skew`` of ``now`` (default: the current time), SECRET_HASH right if
        the client has a secret, and PASSWORD_CLAIM_SIGNATURE (compared in
        constant time) the one only the password can produce. Called once per
        sign-in: any second call is refused as a replay.
        """
        self._verify(challenge_responses, now, max_skew, device_key=None)
