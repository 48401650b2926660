"""A client's SRP transcript as ``srpkit audit`` reads it: the JSON, checked, turned into numbers and bytes.

A transcript is one JSON object describing one PASSWORD_VERIFIER (or
DEVICE_PASSWORD_VERIFIER) answer as the client saw and sent it. Keys:

``flow``
    ``"user"`` (default; USER_SRP_AUTH -> PASSWORD_VERIFIER) or ``"device"``
    (DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER).
``pool_id``
    user flow: the user pool id (``us-east-1_AbC123``); the pool name after
    ``_`` is what the client hashes and signs.
``device_group_key``, ``device_key``
    device flow: the device's NewDeviceMetadata.
``auth_parameters``
    what the client sent first: InitiateAuth's AuthParameters (user flow) or
    DEVICE_SRP_AUTH's ChallengeResponses. ``SRP_A`` is required; ``USERNAME``
    (the name signed in with, perhaps an alias) is used to test alias mistakes.
``challenge_parameters``
    the ChallengeParameters received: ``SALT``, ``SRP_B``, ``SECRET_BLOCK``
    and, for users, ``USER_ID_FOR_SRP`` (or ``USERNAME``).
``challenge_responses``
    the ChallengeResponses sent: ``TIMESTAMP`` and ``PASSWORD_CLAIM_SIGNATURE``
    (required), ``USERNAME``, ``PASSWORD_CLAIM_SECRET_BLOCK``, ``DEVICE_KEY``.
``password`` (secret)
    the user's password, or the device password. If absent, it is read from
    ``$SRPKIT_PASSWORD`` (or standard input with ``--password-stdin``).
``x`` (secret, hex)
    the private key x, if the client logged it; it stands in for the password
    when the password is not given.
``a`` (secret, hex)
    the client's private ephemeral, if known (or ``$SRPKIT_SMALL_A``). Without
    it (and without a logged ``key``) the signature cannot be recomputed.
``sent_at`` (optional)
    when the client sent the answer, as an ISO 8601 UTC instant
    (``2018-07-10T15:01:00Z``) from its own log: TIMESTAMP is compared with it,
    which shows a 12-hour clock (``03:01`` for 15:01) that is otherwise a
    well-formed, consistently signed TIMESTAMP.
``client_id``, ``client_secret`` (secret, optional)
    the app client, to check a ``SECRET_HASH`` in ``challenge_responses``
    (over the USERNAME sent). The secret may instead come from
    ``$SRPKIT_CLIENT_SECRET``.
``user_srp_a`` (optional, device flow)
    the SRP_A of the user step before the device steps: the device's must be
    made from a fresh a, never the user step's.
``verifier_config`` (optional, device flow)
    the DeviceSecretVerifierConfig the client sent to ConfirmDevice,
    ``{"PasswordVerifier": ..., "Salt": ...}`` (base64): recomputed from the
    device password and those salt bytes, and the challenge's SALT is checked
    to be that salt.
``intermediates`` (optional)
    values the client logged, any of: ``A``, ``k``, ``u``, ``x``, ``S`` (hex
    numbers, compared by value), ``key`` (hex of the 16 HKDF bytes),
    ``message`` (hex of the signed bytes). Each is compared with the
    recomputed value; a logged ``key`` also lets the signature be checked
    without ``a``.

Secrets are never taken from the command line, and the report shows secret
values (x, S, key) only as short fingerprints.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .._core.caps import (
    MAX_CLIENT_ID,
    MAX_CLIENT_SECRET,
    MAX_SECRET_BLOCK,
    MAX_SMALL_A_HEX,
    MAX_VERIFIER_B64,
)
from .._core.checks import pool_name
from .._core.encoding import b64decode_field, int_from_hex_field, utf8_field
from .._core.ephemeral import check_small_a
from .._core.errors import InvalidInputError, ParameterTypeError

__all__ = ["INTERMEDIATES", "Inputs", "read_transcript", "same_value", "section"]

# Looser than the wire caps (SRP_A, SRP_B, SALT) on purpose: a transcript may come
# from a client that sent an oversized value, and the audit should show it; the cap
# only bounds the arithmetic a transcript can ask for.
_MAX_HEX = 2048
INTERMEDIATES = ("A", "k", "u", "x", "S", "key", "message")


@dataclass(frozen=True)
class Inputs:
    """What the client started from: the names, the server's challenge, what it sent, its secrets."""

    flow: str
    realm: str
    realm_alt: str | None  # user flow: the whole pool id
    user_id: str
    sign_in_name: str | None
    salt: int
    big_b: int
    block: bytes
    block_text: str
    big_a: int
    timestamp: str
    signature: str
    # Secrets: kept out of the repr so that no traceback or debug print shows them.
    password: str | None = field(repr=False)
    x: int | None = field(repr=False)
    a: int | None = field(repr=False)
    key: bytes | None = field(repr=False)
    salt_text: str = ""  # SALT as received (the ASCII-hex mistake hashes this text)
    sent_at: datetime | None = None
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    secret_hash: str | None = None  # the SECRET_HASH the answer carried
    user_srp_a: int | None = None
    # device flow: ConfirmDevice's (PasswordVerifier text, Salt bytes), as the client sent them
    verifier_config: tuple[str, bytes] | None = None


def section(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """The object under ``key`` (empty if absent), or ParameterTypeError if it is not an object."""
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ParameterTypeError(f"{key}: expected an object", fields=(key,))
    return value


def same_value(recorded: Any, value: Any) -> bool:
    """Whether a recorded value is the recomputed one (bytes, which may be keys, in constant time)."""
    if isinstance(value, bytes) and isinstance(recorded, bytes):
        return hmac.compare_digest(value, recorded)
    return bool(recorded == value)


def read_transcript(
    data: object, password: str | None, small_a: str | None, client_secret: str | None = None
) -> tuple[Inputs, dict[str, Any]]:
    """The inputs the recomputation starts from, and the recorded values it is compared with.

    ``password``/``small_a``/``client_secret`` fill in secrets the transcript leaves out. Raises
    InvalidInputError / ParameterTypeError naming the field when the transcript is unusable.
    """
    if not isinstance(data, Mapping):
        raise ParameterTypeError("transcript: expected a JSON object", fields=("transcript",))
    inputs = _inputs(data, password, small_a, client_secret)
    inter = section(data, "intermediates")
    unknown = sorted(set(inter) - set(INTERMEDIATES))
    if unknown:
        raise InvalidInputError(
            f"intermediates: unknown keys {', '.join(map(repr, unknown))}; "
            f"known: {', '.join(INTERMEDIATES)}",
            fields=("intermediates",),
        )
    recorded: dict[str, Any] = {"A": inputs.big_a, "signature": inputs.signature}
    for name in ("A", "k", "u", "S"):
        if name in inter:
            recorded[name] = _hex(inter[name], f"intermediates.{name}")
    if inputs.x is not None and inputs.password is not None:
        recorded["x"] = inputs.x  # with the password, a logged x is checked, not used
    if (
        inputs.key is not None
        and inputs.a is not None
        and (inputs.password is not None or inputs.x is not None)
    ):
        recorded["key"] = inputs.key
    if "message" in inter:
        recorded["message"] = _hex_bytes(inter["message"], "intermediates.message")
    return inputs, recorded


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise ParameterTypeError(
            f"{name}: expected a string, got {type(value).__name__}", fields=(name,)
        )
    utf8_field(value, name)  # hashed as UTF-8; JSON can carry a lone surrogate ("\ud800")
    return value


def _hex(value: Any, name: str, *, negative: bool = False) -> int:
    return int_from_hex_field(
        value, name, max_len=_MAX_HEX, allow_negative=negative, error=InvalidInputError
    )


def _hex_bytes(value: Any, name: str) -> bytes:
    text = _text(value, name)
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise InvalidInputError(f"{name}: not hex bytes", fields=(name,)) from None


_INSTANT_RE = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d{1,6})?Z")


def _instant(value: Any, name: str) -> datetime:
    match = _INSTANT_RE.fullmatch(_text(value, name))
    if match is None:
        raise InvalidInputError(
            f"{name}: not an ISO 8601 UTC instant (YYYY-MM-DDTHH:MM:SS[.ffffff]Z)", fields=(name,)
        )
    try:
        year, month, day, hour, minute, second = (int(g) for g in match.groups())
        return datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)
    except ValueError:
        raise InvalidInputError(f"{name}: not a real date and time", fields=(name,)) from None


def _small_a(value: Any) -> int:
    # Any a >= 1 up to the work cap, unreduced, as the official clients use it (issue #16).
    return check_small_a(
        int_from_hex_field(value, "a", max_len=MAX_SMALL_A_HEX, error=InvalidInputError), "a"
    )


def _verifier_config(data: Mapping[str, Any]) -> tuple[str, bytes] | None:
    if data.get("verifier_config") is None:
        return None
    config = section(data, "verifier_config")
    names = ("PasswordVerifier", "Salt")
    missing = [f"verifier_config.{name}" for name in names if name not in config]
    if missing:
        raise InvalidInputError("transcript missing " + ", ".join(missing), fields=missing)
    verifier_text = _text(config["PasswordVerifier"], "verifier_config.PasswordVerifier")
    salt = b64decode_field(
        config["Salt"], "verifier_config.Salt", max_len=MAX_VERIFIER_B64, error=InvalidInputError
    )
    return verifier_text, salt


def _optional_text(data: Mapping[str, Any], key: str, max_len: int) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    text = _text(value, key)
    if len(text) > max_len:
        raise InvalidInputError(f"{key}: longer than {max_len} characters", fields=(key,))
    return text


def _inputs(
    data: Mapping[str, Any], password: str | None, small_a: str | None, client_secret: str | None
) -> Inputs:
    flow = data.get("flow", "user")
    if flow not in ("user", "device"):
        raise InvalidInputError("flow: must be 'user' or 'device'", fields=("flow",))
    auth = section(data, "auth_parameters")
    challenge = section(data, "challenge_parameters")
    responses = section(data, "challenge_responses")
    inter = section(data, "intermediates")
    missing = [
        f"{where}.{key}"
        for where, part, keys in (
            ("auth_parameters", auth, ("SRP_A",)),
            ("challenge_parameters", challenge, ("SALT", "SRP_B", "SECRET_BLOCK")),
            ("challenge_responses", responses, ("TIMESTAMP", "PASSWORD_CLAIM_SIGNATURE")),
        )
        for key in keys
        if key not in part
    ]
    missing += [
        key
        for key in (("pool_id",) if flow == "user" else ("device_group_key", "device_key"))
        if key not in data
    ]
    if missing:
        raise InvalidInputError("transcript missing " + ", ".join(missing), fields=missing)
    sign_in = auth.get("USERNAME")
    if flow == "user":
        pool_id = _text(data["pool_id"], "pool_id")
        realm, realm_alt = pool_name(pool_id), pool_id
        user_id = challenge.get("USER_ID_FOR_SRP", challenge.get("USERNAME"))
        if user_id is None:
            raise InvalidInputError(
                "challenge_parameters.USER_ID_FOR_SRP: missing (the name the client must sign)",
                fields=("challenge_parameters.USER_ID_FOR_SRP",),
            )
        user_id = _text(user_id, "challenge_parameters.USER_ID_FOR_SRP")
    else:
        realm = _text(data["device_group_key"], "device_group_key")
        realm_alt = None
        user_id = _text(data["device_key"], "device_key")
        sign_in = responses.get("USERNAME", sign_in)
    secret = data.get("password", password)
    x_text = data.get("x", inter.get("x"))
    a_text = data.get("a", small_a)
    key_text = inter.get("key")
    return Inputs(
        flow=flow,
        realm=realm,
        realm_alt=realm_alt,
        user_id=user_id,
        sign_in_name=None if sign_in is None else _text(sign_in, "auth_parameters.USERNAME"),
        salt=_hex(challenge["SALT"], "challenge_parameters.SALT", negative=True),
        big_b=_hex(challenge["SRP_B"], "challenge_parameters.SRP_B"),
        block=b64decode_field(
            challenge["SECRET_BLOCK"],
            "challenge_parameters.SECRET_BLOCK",
            max_len=MAX_SECRET_BLOCK,
            error=InvalidInputError,
        ),
        block_text=_text(challenge["SECRET_BLOCK"], "challenge_parameters.SECRET_BLOCK"),
        big_a=_hex(auth["SRP_A"], "auth_parameters.SRP_A"),
        timestamp=_text(responses["TIMESTAMP"], "challenge_responses.TIMESTAMP"),
        signature=_text(
            responses["PASSWORD_CLAIM_SIGNATURE"], "challenge_responses.PASSWORD_CLAIM_SIGNATURE"
        ),
        password=None if secret is None else _text(secret, "password"),
        x=None if x_text is None else _hex(x_text, "x"),
        a=None if a_text is None else _small_a(a_text),
        key=None if key_text is None else _hex_bytes(key_text, "intermediates.key"),
        salt_text=_text(challenge["SALT"], "challenge_parameters.SALT"),
        sent_at=None if data.get("sent_at") is None else _instant(data["sent_at"], "sent_at"),
        client_id=_optional_text(data, "client_id", MAX_CLIENT_ID),
        client_secret=_optional_text(
            {"client_secret": data.get("client_secret", client_secret)},
            "client_secret",
            MAX_CLIENT_SECRET,
        ),
        secret_hash=None
        if "SECRET_HASH" not in responses
        else _text(responses["SECRET_HASH"], "challenge_responses.SECRET_HASH"),
        verifier_config=_verifier_config(data) if flow == "device" else None,
        user_srp_a=None
        if data.get("user_srp_a") is None or flow != "device"
        else _hex(data["user_srp_a"], "user_srp_a"),
    )
