"""SECRET_HASH and the `srpkit secret-hash` command."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pycognito import aws_srp

from srpkit import InvalidInputError, ParameterTypeError, secret_hash
from srpkit.__main__ import main
from srpkit._cli import CommandIO

st_username = st.text(
    st.characters(blacklist_categories=("Cs", "Z", "C")), min_size=1, max_size=128
)
st_client_id = st.from_regex(r"[A-Za-z0-9_+]{1,128}", fullmatch=True)
st_secret = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=64)


@given(st_username, st_client_id, st_secret)
def test_secret_hash_matches_pycognito(username: str, client_id: str, secret: str) -> None:
    """SECRET_HASH equals pycognito's for any valid user, client id and secret."""
    assert secret_hash(username, client_id, secret) == aws_srp.AWSSRP.get_secret_hash(
        username, client_id, secret
    )


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("", "abc", "s"), InvalidInputError),
        (("bob", "a b", "s"), InvalidInputError),
        (("bob", "abc", ""), InvalidInputError),
        (("bob", "abc", b"s"), ParameterTypeError),
        ((None, "abc", "s"), ParameterTypeError),
    ],
)
def test_secret_hash_bad_input(args: tuple[object, object, object], error: type) -> None:
    """Bad arguments raise typed errors."""
    with pytest.raises(error):
        secret_hash(*args)  # type: ignore[arg-type]


def run_cli(
    argv: list[str], stdin: str = "", environ: dict[str, str] | None = None
) -> tuple[int, str, str]:
    """Run main() with captured streams."""
    out, err = io.StringIO(), io.StringIO()
    status = main(argv, CommandIO(io.StringIO(stdin), out, err, environ or {}))
    return status, out.getvalue(), err.getvalue()


def test_cli_reads_secret_from_environment() -> None:
    """The secret comes from SRPKIT_CLIENT_SECRET."""
    status, out, _ = run_cli(
        ["secret-hash", "--username", "bob", "--client-id", "abc"],
        environ={"SRPKIT_CLIENT_SECRET": "s3"},
    )
    assert (status, out.strip()) == (0, secret_hash("bob", "abc", "s3"))


def test_cli_reads_secret_from_stdin() -> None:
    """--client-secret-stdin reads one line, without its newline."""
    status, out, _ = run_cli(
        ["secret-hash", "--username", "bob", "--client-id", "abc", "--client-secret-stdin"],
        stdin="s3\r\n",
    )
    assert (status, out.strip()) == (0, secret_hash("bob", "abc", "s3"))


def test_cli_without_secret_is_a_usage_error() -> None:
    """No secret anywhere: exit 2 and say where to put it."""
    status, out, err = run_cli(["secret-hash", "--username", "bob", "--client-id", "abc"])
    assert status == 2 and out == ""
    assert "SRPKIT_CLIENT_SECRET" in err


def test_cli_has_no_secret_option() -> None:
    """There is no way to pass the secret in argv."""
    status, _, _ = run_cli(
        ["secret-hash", "--username", "bob", "--client-id", "abc", "--client-secret", "s3"]
    )
    assert status == 2


def test_cli_bad_input_exit_1_without_secret() -> None:
    """A bad client id exits 1 with an error that does not echo the secret."""
    status, out, err = run_cli(
        ["secret-hash", "--username", "bob", "--client-id", "a b"],
        environ={"SRPKIT_CLIENT_SECRET": "TOPSECRET"},
    )
    assert status == 1 and out == ""
    assert "client_id" in err and "TOPSECRET" not in err


def test_python_dash_m_and_console_script_agree() -> None:
    """`python -m srpkit` runs the same main as the console script."""
    env = {**os.environ, "SRPKIT_CLIENT_SECRET": "s3"}
    out = subprocess.run(
        [sys.executable, "-m", "srpkit", "secret-hash", "--username", "bob", "--client-id", "abc"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == secret_hash("bob", "abc", "s3")


def test_cli_refuses_abbreviated_options() -> None:
    """Options must be spelled out: an abbreviation never stands for a secret-bearing flag."""
    status, out, _ = run_cli(
        ["secret-hash", "--username", "bob", "--client-id", "abc", "--client-secret-std"],
        stdin="s3\n",
    )
    assert status == 2 and out == ""
