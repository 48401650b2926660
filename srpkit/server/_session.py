"""One server-side sign-in, the part user and device sign-ins share: one challenge, one checked answer.

``ServerSRP`` and ``DeviceServerSRP`` differ only in the names they sign with
(pool name and username, or device group key and device key), in where the
verifier comes from, and in DEVICE_KEY; everything else is here, once.
"""

from __future__ import annotations

import enum
import hmac
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone

from .._core.caps import MAX_SECRET_BLOCK, MAX_SIGNATURE_B64
from .._core.checks import Problems, check_client_id, check_optional_secret, check_username
from .._core.encoding import b64decode_field, b64encode, java_hex
from .._core.ephemeral import check_small_a, draw_small_a
from .._core.errors import (
    InvalidInputError,
    ParameterTypeError,
    SRPKitError,
    VerificationError,
    VerificationReason,
)
from .._core.group import N
from .._core.secret_hash import secret_hash_matches
from .._core.srp import (
    read_public_ephemeral,
    scrambling_parameter,
    server_proof,
    server_public_ephemeral,
)
from .._core.timestamp import check_skew, parse_timestamp, timestamp_text

__all__ = ["SignInState", "read_srp_a"]

_SECRET_BLOCK_BYTES = 96
_CLAIM_FIELDS = ("USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE")
_Reason = VerificationReason


class SignInState(str, enum.Enum):
    """Where one server-side sign-in is: each step may happen once, in this order."""

    NEW = "new"
    CHALLENGED = "challenged"
    ANSWERED = "answered"  # answered and refused (or being checked)
    VERIFIED = "verified"


def read_srp_a(value: object) -> int:
    """Parse SRP_A as a client sent it; refuse what is unsafe before any big arithmetic.

    A % N == 0 would make S = 0 whatever the password (a login without it), and
    an oversized A would make the server burn CPU; both raise VerificationError.
    """
    if not isinstance(value, str):
        raise VerificationError(
            f"SRP_A: expected str, got {type(value).__name__}",
            reason=_Reason.MALFORMED,
            fields=("SRP_A",),
        )
    try:
        return read_public_ephemeral(value)
    except SRPKitError as exc:
        raise VerificationError(
            f"{exc}; refusing", reason=_Reason.SRP_A, fields=("SRP_A",)
        ) from None


def check_small_b(small_b: object) -> int:
    """Check a caller-fixed server ephemeral (tests only): an int with 1 <= b < N."""
    return check_small_a(small_b, "small_b")


def check_names(names: object, field: str) -> frozenset[str]:
    """A collection of user names (not one str, which would iterate as characters)."""
    if isinstance(names, str) or not isinstance(names, Iterable):
        raise ParameterTypeError(
            f"{field}: expected a collection of user names, got {type(names).__name__}",
            fields=(field,),
        )
    return frozenset(check_username(name, field) for name in names)


def _check_secret_block(value: object) -> bytes:
    if not isinstance(value, (bytes, bytearray)):
        raise ParameterTypeError(
            f"secret_block: expected bytes, got {type(value).__name__}", fields=("secret_block",)
        )
    if not 1 <= len(value) <= MAX_SECRET_BLOCK * 3 // 4:
        raise InvalidInputError(
            f"secret_block: must be 1 to {MAX_SECRET_BLOCK * 3 // 4} bytes",
            fields=("secret_block",),
        )
    return bytes(value)


def _check_client(client_id: object, client_secret: object) -> None:
    if client_secret is not None:
        if client_id is None:
            raise InvalidInputError(
                "client_id: required with client_secret (SECRET_HASH is keyed by both)",
                fields=("client_id",),
            )
        check_client_id(client_id)
        check_optional_secret(client_secret, "client_secret")
    elif client_id is not None:
        check_client_id(client_id)


def check_verifier(v: int, field: str) -> int:
    """v must be in [1, N): v = 0 would let A * v^u vanish, and anyone compute S = 0."""
    if not 1 <= v < N:
        raise InvalidInputError(f"{field}: must satisfy 1 <= v < N", fields=(field,))
    return v


def _check_verify_args(now: object, max_skew: object) -> datetime:
    if not isinstance(max_skew, timedelta):
        raise ParameterTypeError(
            f"max_skew: expected timedelta, got {type(max_skew).__name__}", fields=("max_skew",)
        )
    if max_skew < timedelta(0):
        raise InvalidInputError("max_skew: must not be negative", fields=("max_skew",))
    if now is None:
        return datetime.now(timezone.utc)
    timestamp_text(now, "now")  # the same checks as the clients' ``now``
    assert isinstance(now, datetime)
    return now


def _shown(value: object) -> str:
    """A client-sent name for an error message: quoted if short, else only its length."""
    if isinstance(value, str) and len(value) <= 128:
        return repr(value)
    return f"a {len(value)}-character value" if isinstance(value, str) else "a non-string value"


def _draw_b() -> int:
    # Drawn exactly as the clients draw a (128 bytes, never 0); its own name so
    # tests can tell the server's ephemeral from a client's.
    return draw_small_a()


def read_params(params: object, field: str, required: tuple[str, ...]) -> dict[str, str]:
    """Check a client's parameter map: a mapping, every ``required`` key there, every value a str."""
    if not isinstance(params, Mapping):
        raise VerificationError(
            f"{field}: expected a mapping of str to str, got {type(params).__name__}",
            reason=_Reason.MALFORMED,
            fields=(field,),
        )
    missing = [key for key in required if key not in params]
    if missing:
        raise VerificationError(
            f"{field}: missing " + ", ".join(missing),
            reason=_Reason.MALFORMED,
            fields=missing,
            absent=True,
        )
    out: dict[str, str] = {}
    for key, value in params.items():
        if not isinstance(value, str):
            if key in required or key == "SECRET_HASH":
                raise VerificationError(
                    f"{key}: expected str, got {type(value).__name__}",
                    reason=_Reason.MALFORMED,
                    fields=(key,),
                )
            continue
        out[str(key)] = value
    return out


class Session:
    """What user and device sign-ins share: one challenge, one checked answer."""

    __slots__ = (
        "_b",
        "_b_fixed",
        "_big_a",
        "_big_b",
        "_block",
        "_block_b64",
        "_client_id",
        "_client_secret",
        "_names",
        "_realm",
        "_salt_text",
        "_state",
        "_user_id",
        "_v",
    )

    @staticmethod
    def check_common(
        problems: Problems,
        *,
        aliases: object,
        client_id: object,
        client_secret: object,
        small_b: object,
        secret_block: object,
    ) -> None:
        """The constructor arguments both kinds of sign-in take, checked into ``problems``."""
        problems.check(check_names, aliases, "aliases")
        problems.check(_check_client, client_id, client_secret)
        if small_b is not None:
            problems.check(check_small_b, small_b)
        if secret_block is not None:
            problems.check(_check_secret_block, secret_block)

    def _setup(
        self,
        *,
        realm: str,
        user_id: str,
        username: str,
        aliases: Iterable[str],
        salt_text: str,
        v: int,
        small_b: int | None,
        secret_block: bytes | None,
        client_id: str | None,
        client_secret: str | None,
    ) -> None:
        self._realm = realm
        self._user_id = user_id
        self._names = frozenset({username}) | check_names(aliases, "aliases")
        self._salt_text = salt_text
        self._v = v
        self._b_fixed = small_b is not None
        self._b = _draw_b() if small_b is None else small_b
        self._block = (
            secrets.token_bytes(_SECRET_BLOCK_BYTES)
            if secret_block is None
            else bytes(secret_block)
        )
        self._block_b64 = b64encode(self._block)
        self._client_id = client_id
        self._client_secret = client_secret
        self._big_a = 0
        self._big_b = 0
        self._state = SignInState.NEW

    def _check_secret_hash(self, params: Mapping[str, object], username: str) -> None:
        if self._client_secret is None:
            return
        assert self._client_id is not None
        given = params.get("SECRET_HASH")
        if given is None:
            raise VerificationError(
                "SECRET_HASH: missing; this app client has a secret",
                reason=_Reason.SECRET_HASH,
                fields=("SECRET_HASH",),
                absent=True,
            )
        if not secret_hash_matches(given, username, self._client_id, self._client_secret):
            raise VerificationError(
                f"SECRET_HASH: does not match the app client secret for USERNAME {username!r}",
                reason=_Reason.SECRET_HASH,
                fields=("SECRET_HASH",),
            )

    def _check_identity(self, params: Mapping[str, object], *, device_key: str | None) -> str:
        username = params["USERNAME"]
        if username not in self._names:
            raise VerificationError(
                f"USERNAME: {_shown(username)} is not this user",
                reason=_Reason.USERNAME,
                fields=("USERNAME",),
            )
        if device_key is not None and params.get("DEVICE_KEY") != device_key:
            raise VerificationError(
                f"DEVICE_KEY: {_shown(params.get('DEVICE_KEY'))} is not this device "
                f"({device_key!r})",
                reason=_Reason.DEVICE_KEY,
                fields=("DEVICE_KEY",),
            )
        assert isinstance(username, str)
        return username

    def _start(
        self, params: object, field: str, required: tuple[str, ...], device_key: str | None
    ) -> dict[str, str]:
        """The first message's checks (USERNAME, DEVICE_KEY, SECRET_HASH), then the challenge."""
        checked = read_params(params, field, required)
        username = self._check_identity(checked, device_key=device_key)
        self._check_secret_hash(checked, username)
        return self._issue(checked["SRP_A"])

    def _issue(self, srp_a: object) -> dict[str, str]:
        if self._state is not SignInState.NEW:
            raise VerificationError(
                "this sign-in already issued its challenge; use a new server object per sign-in",
                reason=_Reason.REPLAY,
            )
        big_a = read_srp_a(srp_a)
        while True:
            big_b = server_public_ephemeral(self._b, self._v)
            if big_b != 0 or self._b_fixed:
                break
            self._b = _draw_b()  # pragma: no cover - B = 0 has probability about 2^-3072
        if big_b == 0:
            raise InvalidInputError("small_b: gives B = 0 for this verifier", fields=("small_b",))
        if scrambling_parameter(big_a, big_b) == 0:  # pragma: no cover - probability 2^-256
            raise VerificationError(
                "SRP_A: gives u = 0; refusing", reason=_Reason.SRP_A, fields=("SRP_A",)
            )
        self._big_a = big_a
        self._big_b = big_b
        self._state = SignInState.CHALLENGED
        return {
            "SALT": self._salt_text,
            "SRP_B": java_hex(big_b),
            "SECRET_BLOCK": self._block_b64,
        }

    def _verify(
        self,
        responses: object,
        now: object,
        max_skew: object,
        *,
        device_key: str | None,
    ) -> None:
        clock = _check_verify_args(now, max_skew)
        assert isinstance(max_skew, timedelta)
        if self._state is SignInState.NEW:
            raise VerificationError(
                "no challenge was issued in this sign-in; call challenge_parameters first",
                reason=_Reason.NO_CHALLENGE,
            )
        if self._state is not SignInState.CHALLENGED:
            raise VerificationError(
                "this sign-in was already answered; a session verifies at most once",
                reason=_Reason.REPLAY,
            )
        self._state = SignInState.ANSWERED  # before any check: a failed answer ends it too
        required = (*_CLAIM_FIELDS, "DEVICE_KEY") if device_key is not None else _CLAIM_FIELDS
        params = read_params(responses, "challenge_responses", required)
        username = self._check_identity(params, device_key=device_key)
        if params["PASSWORD_CLAIM_SECRET_BLOCK"] != self._block_b64:
            raise VerificationError(
                "PASSWORD_CLAIM_SECRET_BLOCK: is not the SECRET_BLOCK this sign-in issued",
                reason=_Reason.SECRET_BLOCK,
                fields=("PASSWORD_CLAIM_SECRET_BLOCK",),
            )
        timestamp = params["TIMESTAMP"]
        check_skew(parse_timestamp(timestamp), clock, max_skew)
        self._check_secret_hash(params, username)
        try:
            b64decode_field(
                params["PASSWORD_CLAIM_SIGNATURE"],
                "PASSWORD_CLAIM_SIGNATURE",
                max_len=MAX_SIGNATURE_B64,
            )
        except SRPKitError as exc:
            raise VerificationError(
                str(exc), reason=_Reason.SIGNATURE, fields=("PASSWORD_CLAIM_SIGNATURE",)
            ) from None
        proof = server_proof(
            b=self._b,
            big_a=self._big_a,
            big_b=self._big_b,
            v=self._v,
            realm=self._realm,
            user_id=self._user_id,
            secret_block=self._block,
            timestamp=timestamp,
        )
        # Compared as text, not as decoded bytes: decoding ignores the unused low bits of
        # the last base64 character, so a mutated signature could decode to the right MAC.
        given = params["PASSWORD_CLAIM_SIGNATURE"].encode("ascii")  # base64, checked above
        if not hmac.compare_digest(given, proof.signature.encode("ascii")):
            raise VerificationError(
                "PASSWORD_CLAIM_SIGNATURE: does not verify (wrong password, or a client that "
                "signs differently; `srpkit audit` can tell which)",
                reason=_Reason.SIGNATURE,
                fields=("PASSWORD_CLAIM_SIGNATURE",),
            )
        self._state = SignInState.VERIFIED

    @property
    def secret_block(self) -> str:
        """The SECRET_BLOCK this sign-in issues (base64), fixed at construction."""
        return self._block_b64

    @property
    def verified(self) -> bool:
        """Whether ``verify`` accepted this sign-in's answer."""
        return self._state is SignInState.VERIFIED
