"""``srpkit bench`` runs end to end in its tiny mode (a smoke test: nothing here looks at a time)."""

from __future__ import annotations

import io

from srpkit.__main__ import main
from srpkit._cli import CommandIO
from srpkit._core import backend as _arith
from srpkit._tools.bench_import import read_importtime


def test_bench_quick_runs_and_restores_the_mode() -> None:
    """``bench --rounds 1 --quick`` prints every section (machine, groups, threads, endpoint) and exits 0."""
    before = _arith.backend(), _arith.hardened()
    out, err = io.StringIO(), io.StringIO()
    status = main(["bench", "--rounds", "1", "--quick"], CommandIO(stdout=out, stderr=err))
    text = out.getvalue()
    assert status == 0, err.getvalue()
    for heading in (
        "CPU:",
        "login (",
        "ConfirmDevice verifier",
        "SECRET_HASH",
        "Targets",
        "its three gmpy2.powmod_sec calls",
        "logins on ",
        "the python backend's pow holds the GIL",
        "(S's exponentiation alone: ",
        "kept-alive connection, per request",
        "fresh connection, per request",
        "boto3 aws.authenticate over loopback",
        "the same sign-in in process",
        "client processes at once",
        "server CPU",
        "import srpkit in a fresh interpreter",
        "import srpkit: < 50 ms",
    ):
        assert heading in text
    assert "srpkit python" in text
    assert "issue #" not in text  # users cannot see the tracker
    assert (_arith.backend(), _arith.hardened()) == before


def test_bench_rejects_zero_rounds() -> None:
    """--rounds 0 is a usage error (status 2), not an empty table."""
    err = io.StringIO()
    assert main(["bench", "--rounds", "0"], CommandIO(stdout=io.StringIO(), stderr=err)) == 2
    assert "--rounds" in err.getvalue()


def test_importtime_reads_the_top_level_srpkit_line() -> None:
    """The cumulative microseconds of the top-level srpkit import are read; nested and other lines are not."""
    stderr = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:       900 |       1200 |   srpkit._core.errors\n"
        "import time:      1463 |      34487 | srpkit\n"
        "import time:        10 |         99 | srpkitx\n"
    )
    assert read_importtime(stderr) == 0.034487
    assert read_importtime("import time:    5 |    7 |   srpkit\n") is None
    assert read_importtime("") is None
