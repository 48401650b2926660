"""TIMESTAMP formatting: English, UTC, unpadded day, independent of the process locale."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from srpkit import InvalidInputError, ParameterTypeError, format_timestamp

UTC = timezone.utc


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (datetime(2024, 2, 29, 0, 0, 0, tzinfo=UTC), "Thu Feb 29 00:00:00 UTC 2024"),
        (datetime(2023, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), "Sun Dec 31 23:59:59 UTC 2023"),
        (datetime(2024, 9, 5, 7, 8, 9, tzinfo=UTC), "Thu Sep 5 07:08:09 UTC 2024"),
        (datetime(2025, 1, 1, 0, 0, 0, tzinfo=UTC), "Wed Jan 1 00:00:00 UTC 2025"),
        # 01:30 at UTC+2 is 23:30 the previous day in UTC: the offset is applied.
        (
            datetime(2024, 3, 1, 1, 30, 0, tzinfo=timezone(timedelta(hours=2))),
            "Thu Feb 29 23:30:00 UTC 2024",
        ),
    ],
)
def test_known_timestamps(when: datetime, expected: str) -> None:
    """Single-digit days stay unpadded, midnight, leap day and year end format as Cognito wants."""
    assert format_timestamp(when) == expected


@given(st.datetimes(timezones=st.just(UTC)))
def test_timestamp_fields_match_datetime(when: datetime) -> None:
    """Every field agrees with the datetime, in the C locale's English names."""
    weekday, month, day, clock, utc, year = format_timestamp(when).split(" ")
    assert weekday == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[when.weekday()]
    assert (
        month
        == ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][
            when.month - 1
        ]
    )
    assert (int(day), int(year), utc) == (when.day, when.year, "UTC")
    assert clock == f"{when.hour:02d}:{when.minute:02d}:{when.second:02d}"


def test_naive_datetime_is_rejected() -> None:
    """A naive datetime is an error, not silently local time."""
    with pytest.raises(InvalidInputError, match="naive"):
        format_timestamp(datetime(2024, 1, 1))  # noqa: DTZ001


@pytest.mark.parametrize("value", ["2024-01-01", 1700000000, None])
def test_non_datetime_is_a_type_error(value: object) -> None:
    """Strings and numbers are type errors."""
    with pytest.raises(ParameterTypeError, match="when"):
        format_timestamp(value)  # type: ignore[arg-type]


def test_does_not_use_strftime(monkeypatch: pytest.MonkeyPatch) -> None:
    """Formatting never calls strftime, whose names follow LC_TIME."""

    class NoStrftime(datetime):
        def strftime(self, fmt: str) -> str:
            raise AssertionError("strftime used")

    when = NoStrftime(2024, 9, 5, 7, 8, 9, tzinfo=UTC)
    assert format_timestamp(when) == "Thu Sep 5 07:08:09 UTC 2024"


@pytest.fixture(scope="module")
def german_locale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A compiled de_DE.UTF-8 locale in a private LOCPATH (no system changes)."""
    localedef = shutil.which("localedef")
    if localedef is None or not Path("/usr/share/i18n/locales/de_DE").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs localedef and locale sources to test a non-English LC_TIME")
        pytest.skip("localedef or locale sources not available")
    root = tmp_path_factory.mktemp("locales")
    subprocess.run(
        [localedef, "-i", "de_DE", "-f", "UTF-8", str(root / "de_DE.UTF-8")],
        check=False,
        capture_output=True,
    )
    if not (root / "de_DE.UTF-8").exists():
        pytest.fail("localedef did not produce de_DE.UTF-8")
    return root


def test_non_english_lc_time_does_not_change_output(german_locale: Path) -> None:
    """Under a German LC_TIME (proved active by strftime) the timestamp is still English and the locale is untouched."""
    code = (
        "import locale, time\n"
        "from datetime import datetime, timezone\n"
        "locale.setlocale(locale.LC_ALL, '')\n"
        "before = locale.setlocale(locale.LC_TIME)\n"
        "import srpkit\n"
        "when = datetime(2024, 10, 3, 7, 8, 9, tzinfo=timezone.utc)\n"
        "print(when.strftime('%a %b'))\n"
        "print(srpkit.format_timestamp(when))\n"
        "print(locale.setlocale(locale.LC_TIME) == before)\n"
    )
    env = {**os.environ, "LOCPATH": str(german_locale), "LC_ALL": "de_DE.UTF-8"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0] == "Do Okt", "the German locale was not active, so the test proves nothing"
    assert out[1] == "Thu Oct 3 07:08:09 UTC 2024"
    assert out[2] == "True"
