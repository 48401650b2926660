"""The server half's internals: its error, the server-side SRP math, and strict readers of client input.

The math is pure (every input is an argument, no randomness); the flow objects
in ``srpkit.server`` draw ``b`` and SECRET_BLOCK and hold the session state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import NamedTuple

from ._arith import powmod
from ._challenge import check_small_a
from ._encoding import int_from_hex_field
from ._errors import SRPKitError
from ._group import N_BITS, K, N
from ._srp import derive_key, password_claim_signature, public_ephemeral, scrambling_parameter
from ._timestamp import MONTHS, WEEKDAYS, format_timestamp

__all__ = [
    "DEFAULT_MAX_SKEW",
    "MAX_SRP_A_BITS",
    "MAX_SRP_A_HEX",
    "ServerProof",
    "VerificationError",
    "check_skew",
    "check_small_b",
    "parse_timestamp",
    "read_srp_a",
    "server_premaster_secret",
    "server_proof",
    "server_public_ephemeral",
    "timestamp_problems",
]

# A legitimate SRP_A is below N (768 hex digits); a little room above N is
# allowed because SRP-6a only requires A % N != 0. The text cap is checked before
# the text is even parsed, so a 200 MB SRP_A costs a length check, not a bignum.
MAX_SRP_A_BITS = N_BITS + 64
MAX_SRP_A_HEX = 1024
# How far a TIMESTAMP may be from the server's clock. Cognito does not document
# its window; five minutes is the usual AWS request-signing tolerance.
DEFAULT_MAX_SKEW = timedelta(minutes=5)

# Loose on purpose: it recognises the near misses clients actually produce
# (zero- or space-padded day, wrong weekday, other zone names) so that each can be
# named; parse_timestamp then accepts only the one exact form.
_LOOSE_TIMESTAMP_RE = re.compile(
    r"([A-Za-z]{3}) ([A-Za-z]{3}) ( ?)([0-9]{1,2}) ([0-9]{1,2}):([0-9]{2}):([0-9]{2}) "
    r"([A-Za-z+\-0-9:]+) ([0-9]{4})",
    re.ASCII,
)
_MAX_TIMESTAMP = 64


class VerificationError(SRPKitError):
    """A client's message failed the server's checks (Cognito would answer NotAuthorizedException).

    ``reason`` names the check, for programs: ``"srp_a"``, ``"malformed"``,
    ``"username"``, ``"device_key"``, ``"secret_block"``, ``"timestamp_format"``,
    ``"timestamp_skew"``, ``"secret_hash"``, ``"signature"``, ``"replay"`` or
    ``"no_challenge"``. The message never contains a secret.
    """

    def __init__(self, message: str, *, reason: str, fields: Iterable[str] = ()) -> None:
        super().__init__(message, fields=fields)
        self.reason = reason


def check_small_b(small_b: object) -> int:
    """Check a caller-fixed server ephemeral (tests only): an int with 1 <= b < N."""
    return check_small_a(small_b, "small_b")


def server_public_ephemeral(b: int, v: int) -> int:
    """B = (k * v + g^b) mod N for the server's private ephemeral ``b`` and the verifier ``v``."""
    return (K * v + public_ephemeral(b)) % N


def server_premaster_secret(big_a: int, v: int, u: int, b: int) -> int:
    """S = (A * v^u)^b mod N: the client's (B - k * g^x)^(a + u * x), computed without x."""
    return powmod(big_a * powmod(v, u, N) % N, b, N)


class ServerProof(NamedTuple):
    """What the server derives to check one claim: u, S, the key and the signature it expects."""

    u: int
    premaster: int
    key: bytes
    signature: str

    def __repr__(self) -> str:
        # S, the key and the expected signature would let anyone answer the challenge.
        return f"ServerProof(u=0x{self.u:x}, premaster=<redacted>, key=<redacted>)"


def server_proof(
    *,
    b: int,
    big_a: int,
    big_b: int,
    v: int,
    realm: str,
    user_id: str,
    secret_block: bytes,
    timestamp: str,
) -> ServerProof:
    """The signature a client knowing the password behind ``v`` must send, and its intermediates."""
    u = scrambling_parameter(big_a, big_b)
    premaster = server_premaster_secret(big_a, v, u, b)
    key = derive_key(premaster, u)
    return ServerProof(
        u, premaster, key, password_claim_signature(key, realm, user_id, secret_block, timestamp)
    )


def read_srp_a(value: object) -> int:
    """Parse SRP_A as a client sent it; refuse what is unsafe before any big arithmetic.

    A % N == 0 would make S = 0 whatever the password (a login without it), and
    an oversized A would make the server burn CPU; both raise VerificationError.
    """
    if not isinstance(value, str):
        raise VerificationError(
            f"SRP_A: expected str, got {type(value).__name__}",
            reason="malformed",
            fields=("SRP_A",),
        )
    try:
        # The length cap is checked first, before the text is scanned or parsed.
        big_a = int_from_hex_field(value, "SRP_A", max_len=MAX_SRP_A_HEX)
    except SRPKitError as exc:
        raise VerificationError(str(exc), reason="srp_a", fields=("SRP_A",)) from None
    if big_a.bit_length() > MAX_SRP_A_BITS:
        raise VerificationError(
            f"SRP_A: larger than 2^{MAX_SRP_A_BITS}; refusing", reason="srp_a", fields=("SRP_A",)
        )
    if big_a % N == 0:
        raise VerificationError(
            "SRP_A: is 0 modulo N (it would authenticate without the password); refusing",
            reason="srp_a",
            fields=("SRP_A",),
        )
    return big_a


def timestamp_problems(text: str) -> tuple[datetime | None, list[str]]:
    """Read a TIMESTAMP leniently: the instant it most plausibly means, and every way it is off.

    An empty problem list means ``text`` is exactly what ``format_timestamp``
    gives for the instant. The instant is ``None`` when nothing sensible can be read.
    """
    if len(text) > _MAX_TIMESTAMP:
        return None, [f"longer than {_MAX_TIMESTAMP} characters"]
    match = _LOOSE_TIMESTAMP_RE.fullmatch(text)
    if match is None:
        return None, [
            "not of the form 'Www Mmm D HH:MM:SS UTC YYYY' (e.g. 'Thu Sep 5 07:08:09 UTC 2024')"
        ]
    weekday, month, space, day, hour, minute, second, zone, year = match.groups()
    problems: list[str] = []
    if month not in MONTHS:
        return None, [f"month {month!r} is not an English three-letter abbreviation ('Sep')"]
    try:
        when = datetime(
            int(year),
            MONTHS.index(month) + 1,
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=timezone.utc,
        )
    except ValueError:
        return None, ["not a real date and time"]
    if space:
        problems.append(
            f"day is space-padded ('{month}  {day}'); Cognito writes '{month} {int(day)}'"
        )
    if day.startswith("0"):
        problems.append(
            f"day is zero-padded ('{month} {day}'); Cognito writes '{month} {int(day)}'"
        )
    if len(hour) == 1:
        problems.append(f"hour is not zero-padded ('{hour}:'); Cognito writes '{int(hour):02d}:'")
    if weekday not in WEEKDAYS:
        problems.append(f"weekday {weekday!r} is not an English three-letter abbreviation ('Thu')")
    elif WEEKDAYS.index(weekday) != when.weekday():
        problems.append(
            f"weekday {weekday!r} is wrong: {when:%Y-%m-%d} is a {WEEKDAYS[when.weekday()]}"
        )
    if zone != "UTC":
        # The clock may be local; the time would then be off by the zone's offset.
        problems.append(f"zone is {zone!r}; Cognito expects the time in UTC, written 'UTC'")
    if not problems and format_timestamp(when) != text:  # pragma: no cover - belt and braces
        problems.append("differs from the canonical form")
    return when, problems


def parse_timestamp(value: object, field: str = "TIMESTAMP") -> datetime:
    """Parse a TIMESTAMP in exactly Cognito's format, or raise VerificationError naming the problem.

    ``Thu Sep 5 07:08:09 UTC 2024`` is accepted; ``Sep 05``, a wrong weekday and
    any zone but ``UTC`` are refused (AWS refuses them too).
    """
    if not isinstance(value, str):
        raise VerificationError(
            f"{field}: expected str, got {type(value).__name__}",
            reason="malformed",
            fields=(field,),
        )
    when, problems = timestamp_problems(value)
    if when is None or problems:
        raise VerificationError(
            f"{field}: {'; '.join(problems)}", reason="timestamp_format", fields=(field,)
        )
    return when


def check_skew(
    when: datetime, now: datetime, max_skew: timedelta, field: str = "TIMESTAMP"
) -> None:
    """Refuse a TIMESTAMP further than ``max_skew`` from ``now`` (either way)."""
    if abs(now - when) > max_skew:
        direction = "behind" if when < now else "ahead of"
        raise VerificationError(
            f"{field}: {format_timestamp(when)!r} is more than {max_skew} {direction} the server's "
            f"clock ({format_timestamp(now)!r})",
            reason="timestamp_skew",
            fields=(field,),
        )
