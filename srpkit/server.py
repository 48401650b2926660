"""The server half of Cognito SRP: verifiers, and sessions that check a client's claim as Cognito does.

For testing clients against real verification, offline: ``make_verifier``
makes what a user pool stores for a password; ``ServerSRP`` plays one
USER_SRP_AUTH sign-in (PASSWORD_VERIFIER); ``DeviceServerSRP`` plays one
DEVICE_SRP_AUTH sign-in (DEVICE_PASSWORD_VERIFIER) from the verifier a client
sent to ConfirmDevice. Every refusal is a ``VerificationError`` whose
``reason`` says which check failed (Cognito itself answers most of them with
NotAuthorizedException, "Incorrect username or password.").

One server object is one sign-in: it issues one challenge and checks at most
one answer, whatever the outcome.

Example::

    salt, verifier = make_verifier("us-east-1_AbC123", "alice", password)
    server = ServerSRP("us-east-1_AbC123", "alice", salt, verifier)
    params = server.start(client.auth_parameters())   # InitiateAuth -> PASSWORD_VERIFIER
    server.verify(client.process_challenge(params))    # raises VerificationError if wrong
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone

from ._challenge import MAX_SALT_HEX, MAX_SECRET_BLOCK, MAX_SRP_B_HEX, draw_small_a
from ._encoding import (
    b64decode_field,
    b64encode,
    int_from_hex_field,
    java_hex,
    require_str,
    utf8_field,
)
from ._errors import InvalidInputError, ParameterTypeError, SRPKitError
from ._group import N
from ._secret_hash import secret_hash
from ._server import (
    DEFAULT_MAX_SKEW,
    VerificationError,
    check_skew,
    check_small_b,
    parse_timestamp,
    read_srp_a,
    server_proof,
    server_public_ephemeral,
)
from ._srp import private_key, scrambling_parameter, verifier
from ._timestamp import timestamp_text
from ._validate import (
    Problems,
    check_client_id,
    check_device_key,
    check_optional_secret,
    check_password,
    check_username,
    pool_name,
)

__all__ = [
    "DEFAULT_MAX_SKEW",
    "DeviceServerSRP",
    "ServerSRP",
    "VerificationError",
    "make_verifier",
]

_SALT_BYTES = 16  # Cognito's salts are 128 bits
_SECRET_BLOCK_BYTES = 96
_MAX_VERIFIER_B64 = 2048
_SIGNATURE_B64_MAX = 128
_SECRET_HASH_MAX = 128  # SecretHashType's maximum; checked before the value is encoded
_MAX_GROUP_KEY = 128
_CLAIM_FIELDS = ("USERNAME", "PASSWORD_CLAIM_SECRET_BLOCK", "TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE")


def _salt_value(salt: object, field: str) -> int:
    return int_from_hex_field(
        salt, field, max_len=MAX_SALT_HEX, allow_negative=True, error=InvalidInputError
    )


def make_verifier(
    pool_id: str, username: str, password: str, *, salt: str | None = None
) -> tuple[str, str]:
    """(SALT hex, verifier hex) a user pool stores for ``password``: v = g^x mod N.

    ``username`` is the name the client will sign, i.e. the USER_ID_FOR_SRP the
    server will send (the user's Cognito username, not an email alias). ``salt``
    is hex as Cognito sends SALT; by default 128 random bits. Both are returned
    as Cognito prints numbers (minimal hex, see ``srpkit._encoding.java_hex``).
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


def _check_names(names: object, field: str) -> frozenset[str]:
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
        raise InvalidInputError("secret_block: must be 1 to 98304 bytes", fields=("secret_block",))
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


class _Session:
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

    def _setup(
        self,
        *,
        realm: str,
        user_id: str,
        names: frozenset[str],
        salt_text: str,
        v: int,
        small_b: int | None,
        secret_block: bytes | None,
        client_id: str | None,
        client_secret: str | None,
    ) -> None:
        self._realm = realm
        self._user_id = user_id
        self._names = names
        self._salt_text = salt_text
        self._v = v
        self._b_fixed = small_b is not None
        self._b = _draw_b() if small_b is None else small_b
        self._block = (
            secrets.token_bytes(_SECRET_BLOCK_BYTES) if secret_block is None else secret_block
        )
        self._block_b64 = b64encode(self._block)
        self._client_id = client_id
        self._client_secret = client_secret
        self._big_a = 0
        self._big_b = 0
        self._state = "new"

    def _secret_hash_problem(self, params: Mapping[str, object], username: str) -> None:
        if self._client_secret is None:
            return
        given = params.get("SECRET_HASH")
        if given is None:
            raise VerificationError(
                "SECRET_HASH: missing; this app client has a secret",
                reason="secret_hash",
                fields=("SECRET_HASH",),
            )
        assert self._client_id is not None
        expected = secret_hash(username, self._client_id, self._client_secret)
        if (
            not isinstance(given, str)
            or len(given) > _SECRET_HASH_MAX
            or not hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("ascii"))
        ):
            raise VerificationError(
                f"SECRET_HASH: does not match the app client secret for USERNAME {username!r}",
                reason="secret_hash",
                fields=("SECRET_HASH",),
            )

    def _check_identity(self, params: Mapping[str, object], *, device_key: str | None) -> str:
        username = params["USERNAME"]
        if username not in self._names:
            raise VerificationError(
                f"USERNAME: {_shown(username)} is not this user",
                reason="username",
                fields=("USERNAME",),
            )
        if device_key is not None and params.get("DEVICE_KEY") != device_key:
            raise VerificationError(
                f"DEVICE_KEY: {_shown(params.get('DEVICE_KEY'))} is not this device "
                f"({device_key!r})",
                reason="device_key",
                fields=("DEVICE_KEY",),
            )
        assert isinstance(username, str)
        return username

    def _issue(self, srp_a: object) -> dict[str, str]:
        if self._state != "new":
            raise VerificationError(
                "this sign-in already issued its challenge; use a new server object per sign-in",
                reason="replay",
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
                "SRP_A: gives u = 0; refusing", reason="srp_a", fields=("SRP_A",)
            )
        self._big_a = big_a
        self._big_b = big_b
        self._state = "challenged"
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
        if self._state == "new":
            raise VerificationError(
                "no challenge was issued in this sign-in; call challenge_parameters first",
                reason="no_challenge",
            )
        if self._state != "challenged":
            raise VerificationError(
                "this sign-in was already answered; a session verifies at most once",
                reason="replay",
            )
        self._state = "answered"  # before any check: a failed answer ends the sign-in too
        required = (*_CLAIM_FIELDS, "DEVICE_KEY") if device_key is not None else _CLAIM_FIELDS
        params = _read_params(responses, "challenge_responses", required)
        username = self._check_identity(params, device_key=device_key)
        if params["PASSWORD_CLAIM_SECRET_BLOCK"] != self._block_b64:
            raise VerificationError(
                "PASSWORD_CLAIM_SECRET_BLOCK: is not the SECRET_BLOCK this sign-in issued",
                reason="secret_block",
                fields=("PASSWORD_CLAIM_SECRET_BLOCK",),
            )
        timestamp = params["TIMESTAMP"]
        assert isinstance(timestamp, str)
        check_skew(parse_timestamp(timestamp), clock, max_skew)
        self._secret_hash_problem(params, username)
        try:
            b64decode_field(
                params["PASSWORD_CLAIM_SIGNATURE"],
                "PASSWORD_CLAIM_SIGNATURE",
                max_len=_SIGNATURE_B64_MAX,
            )
        except SRPKitError as exc:
            raise VerificationError(
                str(exc), reason="signature", fields=("PASSWORD_CLAIM_SIGNATURE",)
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
                reason="signature",
                fields=("PASSWORD_CLAIM_SIGNATURE",),
            )
        self._state = "verified"

    @property
    def secret_block(self) -> str:
        """The SECRET_BLOCK this sign-in issues (base64), fixed at construction."""
        return self._block_b64

    @property
    def verified(self) -> bool:
        """Whether ``verify`` accepted this sign-in's answer."""
        return self._state == "verified"


def _shown(value: object) -> str:
    """A client-sent name for an error message: quoted if short, else only its length."""
    if isinstance(value, str) and len(value) <= 128:
        return repr(value)
    return f"a {len(value)}-character value" if isinstance(value, str) else "a non-string value"


def _draw_b() -> int:
    # Drawn exactly as the clients draw a (128 bytes, never 0); its own name so
    # tests can tell the server's ephemeral from a client's.
    return draw_small_a()


def _read_params(params: object, field: str, required: tuple[str, ...]) -> dict[str, str]:
    """Check a client's parameter map: a mapping, every ``required`` key there, every value a str."""
    if not isinstance(params, Mapping):
        raise VerificationError(
            f"{field}: expected a mapping of str to str, got {type(params).__name__}",
            reason="malformed",
            fields=(field,),
        )
    missing = [key for key in required if key not in params]
    if missing:
        raise VerificationError(
            f"{field}: missing " + ", ".join(missing), reason="malformed", fields=missing
        )
    out: dict[str, str] = {}
    for key, value in params.items():
        if not isinstance(value, str):
            if key in required or key == "SECRET_HASH":
                raise VerificationError(
                    f"{key}: expected str, got {type(value).__name__}",
                    reason="malformed",
                    fields=(key,),
                )
            continue
        out[str(key)] = value
    return out


class ServerSRP(_Session):
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
        problems.check(_check_names, aliases, "aliases")
        problems.check(_check_client, client_id, client_secret)
        if small_b is not None:
            problems.check(check_small_b, small_b)
        if secret_block is not None:
            problems.check(_check_secret_block, secret_block)
        problems.raise_any()
        self._setup(
            realm=pool_name(pool_id),
            user_id=username,
            names=frozenset({username}) | _check_names(aliases, "aliases"),
            salt_text=salt_hex,
            v=_verifier_value(verifier_hex),
            small_b=small_b,
            secret_block=None if secret_block is None else bytes(secret_block),
            client_id=client_id,
            client_secret=client_secret,
        )

    def __repr__(self) -> str:
        return (
            f"ServerSRP(pool_name={self._realm!r}, username={self._user_id!r}, "
            f"verifier=<redacted>, state={self._state!r})"
        )

    def start(self, auth_parameters: Mapping[str, str]) -> dict[str, str]:
        """Answer InitiateAuth's USER_SRP_AUTH AuthParameters with PASSWORD_VERIFIER's parameters.

        Checks USERNAME (the username or an alias) and SECRET_HASH, then
        ``challenge_parameters(SRP_A)``.
        """
        params = _read_params(auth_parameters, "auth_parameters", ("USERNAME", "SRP_A"))
        username = self._check_identity(params, device_key=None)
        self._secret_hash_problem(params, username)
        return self.challenge_parameters(params["SRP_A"])

    def challenge_parameters(self, srp_a: str) -> dict[str, str]:
        """PASSWORD_VERIFIER's ChallengeParameters for the client's SRP_A.

        SALT, SRP_B (B = k*v + g^b mod N), SECRET_BLOCK (random, opaque),
        USERNAME and USER_ID_FOR_SRP (both the Cognito username). SRP_A that is
        0 modulo N or oversized is refused before any big arithmetic.
        """
        params = self._issue(srp_a)
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


def _verifier_value(verifier_hex: object) -> int:
    v = int_from_hex_field(
        verifier_hex, "verifier_hex", max_len=MAX_SRP_B_HEX, error=InvalidInputError
    )
    return _check_verifier(v, "verifier_hex")


def _check_verifier(v: int, field: str) -> int:
    # v = 0 would let A * v^u vanish: anyone could then compute S = 0.
    if not 1 <= v < N:
        raise InvalidInputError(f"{field}: must satisfy 1 <= v < N", fields=(field,))
    return v


def _check_group_key(device_group_key: object) -> str:
    text = require_str(device_group_key, "device_group_key", max_len=_MAX_GROUP_KEY)
    utf8_field(text, "device_group_key")
    return text


def _read_verifier_config(config: object) -> tuple[str, int]:
    """(SALT hex to send, v) from a ConfirmDevice DeviceSecretVerifierConfig."""
    field = "verifier_config"
    if not isinstance(config, Mapping):
        raise ParameterTypeError(
            f"{field}: expected a mapping with PasswordVerifier and Salt (base64), "
            f"got {type(config).__name__}",
            fields=(field,),
        )
    missing = [key for key in ("PasswordVerifier", "Salt") if key not in config]
    if missing:
        raise InvalidInputError(f"{field}: missing " + ", ".join(missing), fields=missing)
    v_bytes = b64decode_field(
        config["PasswordVerifier"],
        "PasswordVerifier",
        max_len=_MAX_VERIFIER_B64,
        error=InvalidInputError,
    )
    salt_bytes = b64decode_field(
        config["Salt"], "Salt", max_len=_MAX_VERIFIER_B64, error=InvalidInputError
    )
    if not salt_bytes:
        raise InvalidInputError("Salt: empty", fields=("Salt",))
    v = _check_verifier(int.from_bytes(v_bytes, "big"), "PasswordVerifier")
    # SALT is the stored bytes read as a two's-complement number (as a Java
    # BigInteger would): the clients' padHex of it then gives back exactly the
    # bytes they hashed, including for a salt whose top bit is set.
    salt = int.from_bytes(salt_bytes, "big", signed=True)
    return java_hex(salt), v


class DeviceServerSRP(_Session):
    """One DEVICE_SRP_AUTH sign-in, server side, from the verifier ConfirmDevice received.

    ``verifier_config`` is the DeviceSecretVerifierConfig exactly as sent:
    ``{"PasswordVerifier": base64, "Salt": base64}``. ``username`` is the
    user's Cognito username (USERNAME in both device messages); ``aliases`` are
    accepted as USERNAME too. The claim is signed over the device group key and
    device key. ``client_id``/``client_secret``, ``small_b`` and ``secret_block``
    are as for ``ServerSRP``.
    """

    __slots__ = ("_username",)

    def __init__(
        self,
        username: str,
        device_group_key: str,
        device_key: str,
        verifier_config: Mapping[str, str],
        *,
        small_b: int | None = None,
        secret_block: bytes | None = None,
        aliases: Iterable[str] = (),
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> None:
        problems = Problems()
        problems.check(check_username, username)
        problems.check(_check_group_key, device_group_key)
        problems.check(check_device_key, device_key)
        problems.check(_read_verifier_config, verifier_config)
        problems.check(_check_names, aliases, "aliases")
        problems.check(_check_client, client_id, client_secret)
        if small_b is not None:
            problems.check(check_small_b, small_b)
        if secret_block is not None:
            problems.check(_check_secret_block, secret_block)
        problems.raise_any()
        salt_text, v = _read_verifier_config(verifier_config)
        self._setup(
            realm=device_group_key,
            user_id=device_key,  # the device key is also what DEVICE_KEY must carry
            names=frozenset({username}) | _check_names(aliases, "aliases"),
            salt_text=salt_text,
            v=v,
            small_b=small_b,
            secret_block=None if secret_block is None else bytes(secret_block),
            client_id=client_id,
            client_secret=client_secret,
        )
        self._username = username

    def __repr__(self) -> str:
        return (
            f"DeviceServerSRP(device_group_key={self._realm!r}, device_key={self._user_id!r}, "
            f"verifier=<redacted>, state={self._state!r})"
        )

    def start(self, challenge_responses: Mapping[str, str]) -> dict[str, str]:
        """Answer DEVICE_SRP_AUTH's ChallengeResponses with DEVICE_PASSWORD_VERIFIER's parameters.

        Checks USERNAME, DEVICE_KEY and SECRET_HASH, then ``challenge_parameters(SRP_A)``.
        """
        params = _read_params(
            challenge_responses, "challenge_responses", ("USERNAME", "DEVICE_KEY", "SRP_A")
        )
        username = self._check_identity(params, device_key=self._user_id)
        self._secret_hash_problem(params, username)
        return self.challenge_parameters(params["SRP_A"])

    def challenge_parameters(self, srp_a: str) -> dict[str, str]:
        """DEVICE_PASSWORD_VERIFIER's ChallengeParameters: SALT, SRP_B, SECRET_BLOCK, USERNAME, DEVICE_KEY."""
        params = self._issue(srp_a)
        params["USERNAME"] = self._username
        params["DEVICE_KEY"] = self._user_id
        return params

    def verify(
        self,
        challenge_responses: Mapping[str, str],
        *,
        now: datetime | None = None,
        max_skew: timedelta = DEFAULT_MAX_SKEW,
    ) -> None:
        """Check DEVICE_PASSWORD_VERIFIER's ChallengeResponses, as ``ServerSRP.verify`` (plus DEVICE_KEY)."""
        self._verify(challenge_responses, now, max_skew, device_key=self._user_id)
