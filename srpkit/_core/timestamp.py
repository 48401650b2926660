"""Cognito's TIMESTAMP: ``Www Mmm D HH:MM:SS UTC YYYY``, English, UTC, day not zero-padded."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from .caps import MAX_TIMESTAMP
from .errors import InvalidInputError, ParameterTypeError, VerificationError, VerificationReason

__all__ = [
    "DEFAULT_MAX_SKEW",
    "MONTHS",
    "WEEKDAYS",
    "check_skew",
    "format_timestamp",
    "parse_timestamp",
    "timestamp_problems",
    "timestamp_text",
]

# Spelled out rather than strftime('%a %b'): strftime follows the process locale
# (LC_TIME), and switching the locale is process-global and not thread-safe.
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
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


def format_timestamp(when: datetime) -> str:
    """The TIMESTAMP string Cognito expects for the instant ``when`` (a timezone-aware datetime).

    Fractions of a second are dropped, as the JavaScript clients' ``Date`` formatting does.
    """
    return timestamp_text(when, "when")


def timestamp_text(when: object, field: str) -> str:
    """``format_timestamp`` for a value that arrived as the argument named ``field``."""
    if not isinstance(when, datetime):
        raise ParameterTypeError(
            f"{field}: expected a timezone-aware datetime, got {type(when).__name__}",
            fields=(field,),
        )
    if when.tzinfo is None or when.utcoffset() is None:
        raise InvalidInputError(
            f"{field}: naive datetime; pass a timezone-aware one (e.g. datetime.now(timezone.utc))",
            fields=(field,),
        )
    try:
        utc = when.astimezone(timezone.utc)
    except OverflowError:
        raise InvalidInputError(
            f"{field}: outside the range of representable UTC datetimes", fields=(field,)
        ) from None
    return (
        f"{WEEKDAYS[utc.weekday()]} {MONTHS[utc.month - 1]} {utc.day} "
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d} UTC {utc.year}"
    )


def timestamp_problems(text: str) -> tuple[datetime | None, list[str]]:
    """Read a TIMESTAMP leniently: the instant it most plausibly means, and every way it is off.

    An empty problem list means ``text`` is exactly what ``format_timestamp``
    gives for the instant. The instant is ``None`` when nothing sensible can be read.
    """
    if len(text) > MAX_TIMESTAMP:
        return None, [f"longer than {MAX_TIMESTAMP} characters"]
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
            reason=VerificationReason.MALFORMED,
            fields=(field,),
        )
    when, problems = timestamp_problems(value)
    if when is None or problems:
        raise VerificationError(
            f"{field}: {'; '.join(problems)}",
            reason=VerificationReason.TIMESTAMP_FORMAT,
            fields=(field,),
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
            reason=VerificationReason.TIMESTAMP_SKEW,
            fields=(field,),
        )
