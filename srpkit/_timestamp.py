"""Cognito's TIMESTAMP: ``Www Mmm D HH:MM:SS UTC YYYY``, English, UTC, day not zero-padded."""

from __future__ import annotations

from datetime import datetime, timezone

from ._errors import InvalidInputError, ParameterTypeError

__all__ = ["format_timestamp", "timestamp_text"]

# Spelled out rather than strftime('%a %b'): strftime follows the process locale
# (LC_TIME), and switching the locale is process-global and not thread-safe.
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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
