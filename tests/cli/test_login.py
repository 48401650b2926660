"""`srpkit login` as a user runs it: `python -m srpkit login` against a live `srpkit serve`, and the AWS-like double.

The secrets go in through the environment or stdin, as the command demands. A
child process costs a Python start and a boto3 import (about a second), so each
journey runs its first command as a child and the variations of it through the
same code in this process (``run_main``). The SRP arithmetic of the serve tests
is the library's, tested under both backends elsewhere; the double's tests are
cheap and run under both.
"""

from __future__ import annotations

import base64
import getpass
import io
import json
import os
import shlex
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from aws_double import CognitoDouble
from aws_double_mfa import totp
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from paths import REPO
from serve_support import PASSWORD, add_user, make_pool, running

from srpkit import aws
from srpkit.__main__ import main
from srpkit._cli import CommandIO
from srpkit._cli import login as login_cli

DEVICES = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}
ON_PROMPT = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": True}


class Serve:
    """A running `srpkit serve`, a boto3 client for its administration, and its request log."""

    def __init__(self, url: str, client: Any, log: list[str]) -> None:
        self.url = url
        self.client = client
        self.log = log


@pytest.fixture(scope="module")
def serve() -> Iterator[Serve]:
    """One in-process `srpkit serve` for the module; the logins run in child processes."""
    with running() as (handle, client, log):
        yield Serve(handle.url, client, log)


def claims(token: str) -> dict[str, Any]:
    """A JWT's payload (the signature is serve's business, checked by its own tests)."""
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def login(
    serve: Serve,
    pool_id: str,
    client_id: str,
    username: str,
    *extra: str,
    env: dict[str, str] | None = None,
    stdin: str = "",
    command: str = "login",
) -> subprocess.CompletedProcess[str]:
    """`python -m srpkit login` with only the SRPKIT_* variables given in ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SRPKIT_")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "srpkit",
            command,
            "--pool-id",
            pool_id,
            "--client-id",
            client_id,
            "--username",
            username,
            "--endpoint-url",
            serve.url,
            *extra,
        ],
        env={**clean, **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
    )


def run_main(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    stdin: str = "",
    client: Any = None,
    stdin_stream: io.StringIO | None = None,
) -> subprocess.CompletedProcess[str]:
    """``srpkit login`` in this process (cheap: boto3 is already imported), shaped like a subprocess's result."""
    out, err = io.StringIO(), io.StringIO()
    streams = CommandIO(stdin_stream or io.StringIO(stdin), out, err, env or {})
    # srpkit's main() builds a client from --endpoint-url; login's own main() takes one.
    if client is not None:
        return_code = login_cli.main(argv, streams, client=client)
    else:
        return_code = main(["login", *argv], streams)
    return subprocess.CompletedProcess(argv, return_code, out.getvalue(), err.getvalue())


def args_for(serve: Serve, pool_id: str, client_id: str, username: str, *extra: str) -> list[str]:
    """The options of a login against ``serve``."""
    return [
        "--pool-id",
        pool_id,
        "--client-id",
        client_id,
        "--username",
        username,
        "--endpoint-url",
        serve.url,
        *extra,
    ]


def assert_clean_failure(done: subprocess.CompletedProcess[str], status: int, *secrets: str) -> str:
    """Exit ``status``, nothing on stdout, one stderr line without a traceback or a secret."""
    assert done.returncode == status, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("srpkit login: error: "), done.stderr
    for secret in secrets:
        assert secret not in done.stderr
    return lines[0]


def test_password_from_the_environment_prints_the_aws_cli_json(serve: Serve) -> None:
    """$SRPKIT_PASSWORD signs in; stdout is {"AuthenticationResult": ...} indented as the AWS CLI does."""
    pool_id, client_id, _ = make_pool(serve.client)
    add_user(serve.client, pool_id, "alice")
    done = login(serve, pool_id, client_id, "alice", env={"SRPKIT_PASSWORD": PASSWORD})
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    printed = json.loads(done.stdout)
    assert list(printed) == ["AuthenticationResult"]
    assert done.stdout == json.dumps(printed, indent=4, ensure_ascii=False) + "\n"
    tokens = printed["AuthenticationResult"]
    assert {"AccessToken", "IdToken", "RefreshToken", "ExpiresIn", "TokenType"} <= set(tokens)
    assert claims(tokens["IdToken"])["cognito:username"] == "alice"
    assert PASSWORD not in done.stdout


def test_password_stdin_and_print_one_token(serve: Serve) -> None:
    """--password-stdin reads one line (its newline dropped); --print id-token prints the token alone."""
    pool_id, client_id, _ = make_pool(
        serve.client, flows=("ALLOW_USER_AUTH", "ALLOW_USER_SRP_AUTH")
    )
    add_user(serve.client, pool_id, "bob")
    done = login(
        serve,
        pool_id,
        client_id,
        "bob",
        "--password-stdin",
        "--print",
        "id-token",
        "--flow",
        "USER_AUTH",
        stdin=PASSWORD + "\r\n",
        env={"SRPKIT_PASSWORD": "not-this-one"},  # the option given wins
    )
    assert done.returncode == 0, done.stderr
    token = done.stdout.removesuffix("\n")
    assert "\n" not in token and claims(token)["token_use"] == "id"
    assert claims(token)["cognito:username"] == "bob"


def test_client_secret_alias_and_print_env(serve: Serve) -> None:
    """With $SRPKIT_CLIENT_SECRET and an email alias, --print env exports the tokens and USER_ID_FOR_SRP."""
    pool_id, client_id, secret = make_pool(serve.client, secret=True, UsernameAttributes=["email"])
    assert secret is not None
    internal = add_user(serve.client, pool_id, "carol@example.com", email="carol@example.com")
    assert internal != "carol@example.com"  # an email pool names its users by UUID
    env = {"SRPKIT_PASSWORD": PASSWORD, "SRPKIT_CLIENT_SECRET": secret}
    done = login(serve, pool_id, client_id, "carol@example.com", "--print", "env", env=env)
    assert done.returncode == 0, done.stderr
    exported = {}
    for line in done.stdout.splitlines():
        word, assignment = shlex.split(line)
        assert word == "export"
        name, _, value = assignment.partition("=")
        exported[name] = value
    assert exported["SRPKIT_USER_ID_FOR_SRP"] == internal
    assert claims(exported["SRPKIT_ACCESS_TOKEN"])["username"] == internal
    assert claims(exported["SRPKIT_ID_TOKEN"])["token_use"] == "id"
    assert {"SRPKIT_REFRESH_TOKEN", "SRPKIT_TOKEN_TYPE", "SRPKIT_EXPIRES_IN"} <= set(exported)
    assert secret not in done.stdout + done.stderr

    no_secret = run_main(
        args_for(serve, pool_id, client_id, "carol@example.com"), env={"SRPKIT_PASSWORD": PASSWORD}
    )
    line = assert_clean_failure(no_secret, 1, PASSWORD)
    assert "NotAuthorizedException" in line


def test_wrong_password_is_exit_1_without_traceback_or_password(serve: Serve) -> None:
    """A wrong password: exit 1, the AWS error code and message, no traceback, the password nowhere."""
    pool_id, client_id, _ = make_pool(serve.client)
    add_user(serve.client, pool_id, "dave")
    wrong = "Wr0ng-horse-battery!"
    done = login(serve, pool_id, client_id, "dave", env={"SRPKIT_PASSWORD": wrong})
    line = assert_clean_failure(done, 1, wrong, PASSWORD)
    assert line.endswith("NotAuthorizedException: Incorrect username or password.")


def test_usage_errors_are_exit_2_and_ask_nothing(serve: Serve) -> None:
    """No password (stdin not a terminal), a malformed pool id, --password: exit 2, no request sent."""
    pool_id, client_id, _ = make_pool(serve.client)
    before = len(serve.log)
    line = assert_clean_failure(run_main(args_for(serve, pool_id, client_id, "erin")), 2)
    assert "SRPKIT_PASSWORD" in line and "--password-stdin" in line
    env = {"SRPKIT_PASSWORD": PASSWORD}
    bad = run_main(args_for(serve, "not-a-pool", "no spaces", "erin"), env=env)
    line = assert_clean_failure(bad, 2, PASSWORD)
    assert "pool_id" in line and "client_id" in line  # every bad argument, in one line
    empty = run_main(args_for(serve, pool_id, client_id, "erin", "--password-stdin"), stdin="")
    assert "--password-stdin" in assert_clean_failure(empty, 2)
    argv = args_for(serve, pool_id, client_id, "erin", "--password", PASSWORD)
    err = io.StringIO()
    assert login_cli.main(argv, CommandIO(io.StringIO(), io.StringIO(), err, {})) == 2
    assert "unrecognized arguments: --password" in err.getvalue()  # argparse's own line
    assert len(serve.log) == before


def test_unreachable_endpoint_is_one_line_exit_1() -> None:
    """Nothing listening at the endpoint: exit 1, one line saying it is a connection failure."""
    # Port 9 (discard): nothing listens on loopback. No retries, so the test does not wait.
    config = Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1})
    client = boto3.client(
        "cognito-idp", region_name="us-east-1", endpoint_url="http://127.0.0.1:9", config=config
    )
    argv = ["--pool-id", "us-east-1_Abc123", "--client-id", "abc123", "--username", "frank"]
    done = run_main(argv, env={"SRPKIT_PASSWORD": PASSWORD}, client=client)
    line = assert_clean_failure(done, 1, PASSWORD)
    assert line.endswith(
        'connection failure: Could not connect to the endpoint URL: "http://127.0.0.1:9/"'
    )


def test_new_password_required_from_the_environment(serve: Serve) -> None:
    """A temporary password: $SRPKIT_NEW_PASSWORD answers NEW_PASSWORD_REQUIRED; without it, exit 2 naming it."""
    pool_id, client_id, _ = make_pool(serve.client)
    add_user(serve.client, pool_id, "gina", permanent=False)
    asked = run_main(args_for(serve, pool_id, client_id, "gina"), env={"SRPKIT_PASSWORD": PASSWORD})
    assert "NEW_PASSWORD_REQUIRED" in assert_clean_failure(asked, 2, PASSWORD)
    new = "N3w-password-of-gina!"
    env = {"SRPKIT_PASSWORD": PASSWORD, "SRPKIT_NEW_PASSWORD": new}
    done = run_main(args_for(serve, pool_id, client_id, "gina"), env=env)
    assert done.returncode == 0, done.stderr
    assert "new password is set" in done.stderr and new not in done.stderr + done.stdout
    again = run_main(
        args_for(serve, pool_id, client_id, "gina", "--print", "access-token"),
        env={"SRPKIT_PASSWORD": new},
    )
    assert again.returncode == 0, again.stderr
    assert claims(again.stdout.strip())["username"] == "gina"


def test_device_file_created_0600_reused_and_replaced_when_forgotten(
    serve: Serve, tmp_path: Path
) -> None:
    """--device-file: written 0600 after the first sign-in, used by the next, rewritten once Cognito forgets it."""
    pool_id, client_id, _ = make_pool(serve.client, DeviceConfiguration=ON_PROMPT)
    add_user(serve.client, pool_id, "hank")
    path = tmp_path / "hank.device"
    env = {"SRPKIT_PASSWORD": PASSWORD}

    first = login(serve, pool_id, client_id, "hank", "--device-file", str(path), env=env)
    assert first.returncode == 0, first.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    stored = json.loads(path.read_text())
    key = stored["device_key"]
    assert stored["user_id_for_srp"] == "hank" and stored["pool_id"] == pool_id
    token = json.loads(first.stdout)["AuthenticationResult"]
    assert token["NewDeviceMetadata"]["DeviceKey"] == key
    assert stored["device_password"] not in first.stdout + first.stderr
    mark = len(serve.log)
    # The first run was a child process, as a user runs it; these two reuse its file in-process.
    argv = args_for(serve, pool_id, client_id, "hank", "--device-file", str(path))
    second = run_main(argv, env=env)
    assert second.returncode == 0, second.stderr
    # serve asks DEVICE_SRP_AUTH only of a remembered device, and this pool remembers one
    # only on the user's say-so (UpdateDeviceStatus): asking for the file was it.
    assert any("DEVICE_PASSWORD_VERIFIER 200" in line for line in serve.log[mark:])
    assert (
        claims(json.loads(second.stdout)["AuthenticationResult"]["AccessToken"])["device_key"]
        == key
    )
    assert json.loads(path.read_text()) == stored

    serve.client.admin_forget_device(UserPoolId=pool_id, Username="hank", DeviceKey=key)
    third = run_main(argv, env=env)
    assert third.returncode == 0, third.stderr
    # Cognito refuses a forgotten DEVICE_KEY (srpkit then signs in without it: result.device_forgotten);
    # serve hands out a new device instead. Either way the file must now hold the new device.
    assert f"{path} now holds the new device" in third.stderr
    renewed = json.loads(path.read_text())
    assert renewed["device_key"] != key
    assert (
        renewed["device_key"]
        == json.loads(third.stdout)["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"]
    )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_totp_code_from_the_environment_against_serve(serve: Serve) -> None:
    """A user with an authenticator: $SRPKIT_MFA_CODE (a real RFC 6238 code) answers SOFTWARE_TOKEN_MFA."""
    pool_id, client_id, _ = make_pool(serve.client)
    serve.client.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )
    add_user(serve.client, pool_id, "quinn")
    env = {"SRPKIT_PASSWORD": PASSWORD}
    first = run_main(
        args_for(serve, pool_id, client_id, "quinn", "--print", "access-token"), env=env
    )
    access = first.stdout.strip()
    secret = serve.client.associate_software_token(AccessToken=access)["SecretCode"]
    serve.client.verify_software_token(AccessToken=access, UserCode=totp(secret, time.time()))
    serve.client.set_user_mfa_preference(
        AccessToken=access, SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True}
    )
    mark = len(serve.log)
    # The next step's code: serve takes each step's code once, and setting up spent this one.
    code = totp(secret, time.time(), offset=1)
    done = run_main(
        args_for(serve, pool_id, client_id, "quinn"), env={**env, "SRPKIT_MFA_CODE": code}
    )
    assert done.returncode == 0, done.stderr
    assert "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA 200" in serve.log[mark:]
    assert code not in done.stderr


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes and owners")
def test_device_file_others_can_read_or_a_link_is_refused(serve: Serve, tmp_path: Path) -> None:
    """A device file others can read or write, a link, another's file or user: exit 2 with the fix, no request."""
    pool_id, client_id, _ = make_pool(serve.client, DeviceConfiguration=DEVICES)
    add_user(serve.client, pool_id, "iris")
    path = tmp_path / "iris.device"
    env = {"SRPKIT_PASSWORD": PASSWORD}

    def with_file(name: Path, username: str = "iris") -> subprocess.CompletedProcess[str]:
        argv = args_for(serve, pool_id, client_id, username, "--device-file", str(name))
        return run_main(argv, env=env)

    made = with_file(path)
    assert made.returncode == 0, made.stderr
    before = len(serve.log)
    for mode in (0o644, 0o620):
        path.chmod(mode)
        line = assert_clean_failure(with_file(path), 2, PASSWORD)
        assert f"chmod 600 {path}" in line and f"{mode:04o}" in line
    path.chmod(0o600)
    link = tmp_path / "link.device"
    link.symlink_to(path)
    assert "symbolic link" in assert_clean_failure(with_file(link), 2)
    assert "another user or pool" in assert_clean_failure(with_file(path, "someone-else"), 2)
    if os.geteuid() == 0:  # only root can give a file away
        os.chown(path, 65534, -1)
        assert "owned by another user" in assert_clean_failure(with_file(path), 2)
    assert len(serve.log) == before


class Refusing:
    """A client whose first call fails as ``error`` does (a hostile or broken endpoint)."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    def initiate_auth(self, **body: Any) -> Any:
        raise self.error

    def respond_to_auth_challenge(self, **body: Any) -> Any:
        raise self.error


def test_no_secret_in_any_error_line() -> None:
    """An AWS error and a bug's exception: one line each, the secrets in them redacted or not shown."""
    secret, password = "the-client-secret", "the-password-1"
    env = {"SRPKIT_PASSWORD": password, "SRPKIT_CLIENT_SECRET": secret}
    argv = ["--pool-id", "us-east-1_Abc123", "--client-id", "abc123", "--username", "jo"]
    echoed = ClientError(
        {"Error": {"Code": "NotAuthorizedException", "Message": f"no {password} or {secret}"}},
        "InitiateAuth",
    )
    line = assert_clean_failure(
        run_main(argv, env=env, client=Refusing(echoed)), 1, password, secret
    )
    assert line.endswith("NotAuthorizedException: no <redacted> or <redacted>")
    bug = run_main(argv, env=env, client=Refusing(RuntimeError(f"oops {password}")))
    line = assert_clean_failure(bug, 1, password)
    assert "unexpected RuntimeError" in line and "oops" not in line


def test_a_broken_answer_is_exit_1_naming_the_field() -> None:
    """A PASSWORD_VERIFIER without SRP_B (the endpoint's fault, not the user's): exit 1, the field named."""
    client = boto3.client(
        "cognito-idp", region_name="us-east-1", config=Config(signature_version=UNSIGNED)
    )
    stubber = Stubber(client)
    params = {"SALT": "ab", "SECRET_BLOCK": "c2VjcmV0", "USERNAME": "jo", "USER_ID_FOR_SRP": "jo"}
    stubber.add_response(
        "initiate_auth", {"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": params}
    )
    argv = ["--pool-id", "us-east-1_Abc123", "--client-id", "abc123", "--username", "jo"]
    with stubber:
        done = run_main(argv, env={"SRPKIT_PASSWORD": PASSWORD}, client=client)
    line = assert_clean_failure(done, 1, PASSWORD)
    assert "the endpoint's answer cannot be used" in line and "SRP_B" in line


def test_the_flows_are_srpkit_aws_flows() -> None:
    """login's --flow choices are srpkit.aws.FLOWS (kept apart so the parser does not import srpkit.aws)."""
    assert login_cli.FLOWS == aws.FLOWS


# -- against the AWS-like double (in this process: the double answers an in-process boto3 client) --

DOUBLE_POOL = "eu-west-1_DoubLe7x9"


class Terminal(io.StringIO):
    """A stdin that says it is a terminal, so that the command may ask (getpass is replaced)."""

    def isatty(self) -> bool:
        return True


def double_login(double: CognitoDouble, username: str, *extra: str, **kw: Any) -> Any:
    """``srpkit login`` through a boto3 client the double answers."""
    argv = ["--pool-id", DOUBLE_POOL, "--client-id", "dbl1client", "--username", username, *extra]
    return run_main(argv, client=double.client(), **kw)


@pytest.mark.usefixtures("srp_backend")
def test_totp_code_from_the_environment_with_a_client_secret_and_an_alias() -> None:
    """$SRPKIT_MFA_CODE answers SOFTWARE_TOKEN_MFA; the answer is over USER_ID_FOR_SRP; without it, exit 2 naming it."""
    double = CognitoDouble(DOUBLE_POOL, mfa="OPTIONAL")
    double.add_client("dbl1client", secret="dbl-secret")
    secret = double.new_totp_secret()
    double.add_user(
        "u-1d", PASSWORD, email="kim@example.com", mfa=("SOFTWARE_TOKEN_MFA",), totp_secret=secret
    )
    env = {"SRPKIT_PASSWORD": PASSWORD, "SRPKIT_CLIENT_SECRET": "dbl-secret"}
    asked = double_login(double, "kim@example.com", env=env)
    line = assert_clean_failure(asked, 2, PASSWORD, "dbl-secret")
    assert "SOFTWARE_TOKEN_MFA" in line and "SRPKIT_MFA_CODE" in line
    code = totp(secret, double.now)
    done = double_login(
        double, "kim@example.com", "--print", "env", env={**env, "SRPKIT_MFA_CODE": code}
    )
    assert done.returncode == 0, done.stderr
    assert "export SRPKIT_USER_ID_FOR_SRP=u-1d\n" in done.stdout
    assert (
        double.answer_to("SOFTWARE_TOKEN_MFA").request["ChallengeResponses"]["USERNAME"] == "u-1d"
    )


@pytest.mark.usefixtures("srp_backend")
def test_select_mfa_type_without_a_terminal_chooses_the_authenticator() -> None:
    """SELECT_MFA_TYPE with a code in the environment: ANSWER SOFTWARE_TOKEN_MFA, then the code."""
    double = CognitoDouble(DOUBLE_POOL, mfa="OPTIONAL")
    double.add_client("dbl1client")
    secret = double.new_totp_secret()
    double.add_user(
        "lee", PASSWORD, phone_number="+15550000008", totp_secret=secret,
        mfa=("SMS_MFA", "SOFTWARE_TOKEN_MFA"),
    )  # fmt: skip
    env = {"SRPKIT_PASSWORD": PASSWORD, "SRPKIT_MFA_CODE": totp(secret, double.now)}
    done = double_login(double, "lee", env=env)
    assert done.returncode == 0, done.stderr
    assert double.answer_to("SELECT_MFA_TYPE").request["ChallengeResponses"]["ANSWER"] == (
        "SOFTWARE_TOKEN_MFA"
    )


@pytest.mark.usefixtures("srp_backend")
def test_sms_code_is_asked_at_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """At a terminal, SMS_MFA is asked without echo, naming the masked number the code went to."""
    double = CognitoDouble(DOUBLE_POOL, mfa="OPTIONAL")
    double.add_client("dbl1client")
    double.add_user("max", PASSWORD, phone_number="+15550000008", mfa=("SMS_MFA",))
    prompts: list[str] = []

    def typed(prompt: str = "") -> str:
        prompts.append(prompt)
        return PASSWORD if prompt.startswith("Password") else double.outbox[-1].code

    monkeypatch.setattr(getpass, "getpass", typed)
    done = double_login(double, "max", stdin_stream=Terminal())
    assert done.returncode == 0, done.stderr
    assert prompts == ["Password for max: ", "SMS_MFA code sent to +*******0008: "]


@pytest.mark.usefixtures("srp_backend")
def test_forgotten_device_is_replaced_in_the_device_file(tmp_path: Path) -> None:
    """Cognito answers "Device does not exist.": srpkit signs in without it and the file gets the new device."""
    double = CognitoDouble(DOUBLE_POOL, device_tracking=True)
    double.add_client("dbl1client")
    double.add_user("ned", PASSWORD)
    path = tmp_path / "ned.device"
    env = {"SRPKIT_PASSWORD": PASSWORD}
    assert double_login(double, "ned", "--device-file", str(path), env=env).returncode == 0
    old = json.loads(path.read_text())["device_key"]
    double.forget_device(old)
    done = double_login(double, "ned", "--device-file", str(path), env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        f"srpkit login: Cognito had forgotten the device in {path}: signed in without it; "
        f"{path} now holds the new device\n"
    )
    new = json.loads(path.read_text())["device_key"]
    assert new != old
    assert new == json.loads(done.stdout)["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.usefixtures("srp_backend")
def test_challenges_srpkit_login_cannot_answer_are_named() -> None:
    """MFA_SETUP, and NEW_PASSWORD_REQUIRED asking for attributes: exit 1 naming what is asked."""
    double = CognitoDouble(DOUBLE_POOL, mfa="ON", required_attributes=("given_name",))
    double.add_client("dbl1client")
    double.add_user("olga", PASSWORD)
    double.admin_create_user("pia", PASSWORD)
    setup = double_login(double, "olga", env={"SRPKIT_PASSWORD": PASSWORD})
    assert "MFA_SETUP" in assert_clean_failure(setup, 1, PASSWORD)
    env = {"SRPKIT_PASSWORD": PASSWORD, "SRPKIT_NEW_PASSWORD": "N3w-pass!"}
    new = double_login(double, "pia", env=env)
    line = assert_clean_failure(new, 1, PASSWORD, "N3w-pass!")
    assert "NEW_PASSWORD_REQUIRED" in line and "given_name" in line


def test_boto3_is_imported_only_to_sign_in() -> None:
    """`srpkit login --help`, `srpkit serve --help` and a login refused for its input never import boto3."""
    code = (
        "import io, sys\n"
        "from srpkit.__main__ import main\n"
        "from srpkit._cli import CommandIO\n"
        "def run(*argv):\n"
        "    main(list(argv), CommandIO(io.StringIO(), io.StringIO(), io.StringIO(), {}))\n"
        "try:\n"
        "    run('login', '--help')\n"
        "except SystemExit:\n"
        "    pass\n"
        "try:\n"
        "    run('serve', '--help')\n"
        "except SystemExit:\n"
        "    pass\n"
        "run('login', '--pool-id', 'us-east-1_Abc123', '--client-id', 'c1', '--username', 'u')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.splitlines()[-1] == "[]"
