"""The AWS CLI 1.46.3 (`aws cognito-idp`), as it ships, through a whole session against `srpkit serve`.

Each step is one run of the real ``aws`` program (the one installed beside
this interpreter by the ``test`` extra) with ``--endpoint-url`` pointed at an
in-process server, and its JSON stdout is what the tests check. The CLI has
no SRP arithmetic, so for USER_SRP_AUTH and the device steps it is only the
transport: srpkit's UserSRP / DeviceSRP compute SRP_A and the
PASSWORD_CLAIM_SIGNATURE, the CLI carries them, and serve checks the proof.

Each ``aws`` run costs about half a second of CLI start-up, so the module
runs two sessions: the steps that are no SRP exchange (the pool read back,
users, password sign-ins, refresh, TOTP, sign-outs) once for the module, under
whichever backend comes first, and the SRP and device exchanges once per
backend; every test still runs under both.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import jwt
import pytest
from botocore.exceptions import ClientError
from compat_support import DEVICES, SessionPool, calls, session_pool
from serve_support import PASSWORD, add_user, running

import srpkit
from srpkit._core.totp import STEP_SECONDS, totp

# serve runs the SRP arithmetic of the SRP and device sign-ins: under both backends.
pytestmark = pytest.mark.usefixtures("srp_backend")

PIN = "1.46.3"  # as the test extra in pyproject.toml pins it
AWS = Path(sys.executable).parent / "aws"
INSTALL = ".venv/bin/pip install -e '.[fast,test]'"
# One CLI run is one request; this only catches a wedged one.
TIMEOUT = 60
REFUSED = "An error occurred (NotAuthorizedException)"
# "Command failed. There were errors from either the AWS CLI or from the AWS service" (the AWS
# CLI v1 user guide, "Command line return codes in the AWS CLI").
FAILED = 255
REVOKED = "Refresh Token has been revoked"
ADMIN_FLOWS = ("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")


def require_aws() -> Path:
    """The `aws` program beside this interpreter; skip when it is missing, but fail in CI."""
    if AWS.is_file():
        return AWS
    message = f"the AWS CLI is missing from {AWS.parent} (run: {INSTALL})"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must run the compatibility suite against the pinned clients")
    pytest.skip(message)


@dataclass(frozen=True)
class Answer:
    """One `aws cognito-idp` run: the command, its exit status, its stdout and its stderr."""

    command: str
    status: int
    # Tokens and client secrets: kept out of the reports of a failing test.
    stdout: str = field(repr=False)
    stderr: str

    def json(self) -> dict[str, Any]:
        """The CLI's JSON answer ({} for an operation that answers nothing); fails if the run failed."""
        assert self.status == 0, (
            f"aws cognito-idp {self.command}: exit {self.status}: {self.stderr}"
        )
        found: dict[str, Any] = json.loads(self.stdout) if self.stdout.strip() else {}
        return found


@dataclass
class Cli:
    """Runs `aws cognito-idp` against the module's server, with a home of its own."""

    aws: Path
    pool: SessionPool
    home: Path
    log: list[str]
    env: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        config, credentials = self.home / "config", self.home / "credentials"
        config.write_text("")
        credentials.write_text("")
        # Nothing of the user's may steer the CLI: no AWS_* variable (a profile, an endpoint, a
        # CA bundle, a default output) and no ~/.aws (config, credentials, aliases, the
        # ~/.aws/models it would load service models from). Fake keys, as for boto3.
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(
            HOME=str(self.home),
            AWS_ACCESS_KEY_ID="x",
            AWS_SECRET_ACCESS_KEY="x",
            AWS_DEFAULT_REGION="us-east-1",
            AWS_CONFIG_FILE=str(config),
            AWS_SHARED_CREDENTIALS_FILE=str(credentials),
            AWS_PAGER="",
        )
        self.env = env

    def __call__(self, command: str, *args: str, body: Mapping[str, Any] | None = None) -> Answer:
        """Run ``aws cognito-idp COMMAND ARGS``, with ``body`` as its --cli-input-json."""
        argv = [str(self.aws), "cognito-idp", command, *args]
        argv += ["--endpoint-url", self.pool.url, "--output", "json"]
        path = None
        if body is not None:
            # Passwords, client secrets, SECRET_HASH and tokens go in a file the CLI reads
            # (file://), never on argv: any local user can read another's argv (ps,
            # /proc/PID/cmdline) while the program runs. mkstemp makes the file 0600.
            fd, path = tempfile.mkstemp(dir=self.home, suffix=".json")
            with os.fdopen(fd, "w") as file:
                json.dump(body, file)
            argv += ["--cli-input-json", f"file://{path}"]
        try:
            proc = subprocess.run(
                argv,
                env=self.env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        finally:
            if path is not None:
                os.unlink(path)
        return Answer(command, proc.returncode, proc.stdout, proc.stderr)

    def access_claims(self, token: str) -> dict[str, Any]:
        """The claims of an access token, checked against the pool's published key and issuer."""
        issuer = f"{self.pool.url}/{self.pool.pool_id}"
        key = jwt.PyJWKClient(f"{issuer}/.well-known/jwks.json").get_signing_key_from_jwt(token)
        claims: dict[str, Any] = jwt.decode(token, key.key, algorithms=["RS256"], issuer=issuer)
        assert claims["token_use"] == "access"
        return claims


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    """One in-process `srpkit serve` with the compatibility suite's session pool, and the CLI for it."""
    aws = require_aws()
    with running() as (handle, client, log):
        yield Cli(aws, session_pool(handle.url, client), tmp_path_factory.mktemp("awscli"), log)


@dataclass
class Session:
    """A session's answers by step, and what the steps that check them need to know."""

    username: str
    answers: dict[str, Answer] = field(default_factory=dict)
    seen: dict[str, Any] = field(default_factory=dict)  # what serve held between steps (boto3)
    calls: list[str] = field(default_factory=list)  # what serve answered meanwhile

    def run(self, cli: Cli, step: str, command: str, *args: str, **body: Any) -> dict[str, Any]:
        """Run one step, keep its answer, and return its JSON (the step must succeed)."""
        self.answers[step] = cli(command, *args, body=body or None)
        return self.answers[step].json()

    def refused(self, cli: Cli, step: str, command: str, **body: Any) -> None:
        """Run one step that must be refused, and keep its answer."""
        self.answers[step] = cli(command, body=body)

    def out(self, step: str) -> dict[str, Any]:
        """The JSON answer of a step that ran."""
        return self.answers[step].json()


def tokens(answer: Mapping[str, Any]) -> dict[str, Any]:
    """An answer's AuthenticationResult."""
    result: dict[str, Any] = answer["AuthenticationResult"]
    return result


@pytest.fixture(scope="module")
def admin(cli: Cli) -> Session:
    """The steps that are no SRP exchange: pool read-back, users, password sign-ins, refresh, TOTP, sign-outs."""
    pool, boto = cli.pool, cli.pool.client
    s = Session(f"cli{secrets.token_hex(4)}")
    user = ("--user-pool-id", pool.pool_id, "--username", s.username)
    s.run(cli, "list_user_pools", "list-user-pools", "--max-results", "60")
    s.run(cli, "describe_user_pool", "describe-user-pool", "--user-pool-id", pool.pool_id)
    made = s.run(
        cli,
        "create_user_pool_client",
        "create-user-pool-client",
        "--user-pool-id",
        pool.pool_id,
        "--client-name",
        "awscli-admin",
        "--generate-secret",
        "--explicit-auth-flows",
        *ADMIN_FLOWS,
    )["UserPoolClient"]
    admin_id, admin_secret = made["ClientId"], made["ClientSecret"]
    s.run(cli, "list_user_pool_clients", "list-user-pool-clients", "--user-pool-id", pool.pool_id)

    s.run(
        cli,
        "admin_create_user",
        "admin-create-user",
        *user,
        "--user-attributes",
        f"Name=email,Value={s.username}@example.com",
        "--message-action",
        "SUPPRESS",
    )
    s.run(
        cli,
        "admin_set_user_password",
        "admin-set-user-password",
        UserPoolId=pool.pool_id,
        Username=s.username,
        Password=PASSWORD,
        Permanent=True,
    )
    s.seen["status"] = boto.admin_get_user(UserPoolId=pool.pool_id, Username=s.username)[
        "UserStatus"
    ]
    s.run(cli, "admin_disable_user", "admin-disable-user", *user)
    s.seen["disabled"] = boto.admin_get_user(UserPoolId=pool.pool_id, Username=s.username)
    s.run(cli, "admin_enable_user", "admin-enable-user", *user)
    s.seen["enabled"] = boto.admin_get_user(UserPoolId=pool.pool_id, Username=s.username)

    signed = tokens(
        s.run(
            cli,
            "user_password_auth",
            "initiate-auth",
            **srpkit.initiate_auth_request(
                pool.client_id, "USER_PASSWORD_AUTH", {"USERNAME": s.username, "PASSWORD": PASSWORD}
            ),
        )
    )
    access, device_key = signed["AccessToken"], signed["NewDeviceMetadata"]["DeviceKey"]
    hashed = srpkit.secret_hash(s.username, admin_id, admin_secret)
    by_admin = tokens(
        s.run(
            cli,
            "admin_initiate_auth",
            "admin-initiate-auth",
            **srpkit.admin_initiate_auth_request(
                pool.pool_id,
                admin_id,
                "ADMIN_USER_PASSWORD_AUTH",
                {"USERNAME": s.username, "PASSWORD": PASSWORD, "SECRET_HASH": hashed},
            ),
        )
    )
    s.seen["admin_client_id"] = admin_id
    # Another user, so that the filter has one to leave out.
    s.seen["decoy"] = add_user(boto, pool.pool_id, f"decoy{secrets.token_hex(4)}")
    s.run(
        cli,
        "list_users",
        "list-users",
        "--user-pool-id",
        pool.pool_id,
        "--filter",
        f'username = "{s.username}"',
    )
    s.run(
        cli,
        "refresh",
        "initiate-auth",
        **srpkit.refresh_request(pool.client_id, signed["RefreshToken"], device_key=device_key),
    )

    # Sign-out of the admin client's session: its refresh token revoked, then refused.
    s.run(
        cli,
        "revoke_token",
        "revoke-token",
        Token=by_admin["RefreshToken"],
        ClientId=admin_id,
        ClientSecret=admin_secret,
    )
    s.refused(
        cli,
        "refresh_revoked",
        "initiate-auth",
        **srpkit.refresh_request(
            admin_id,
            by_admin["RefreshToken"],
            username=s.username,
            client_secret=admin_secret,
            device_key=by_admin["NewDeviceMetadata"]["DeviceKey"],
        ),
    )

    code = s.run(cli, "associate_software_token", "associate-software-token", AccessToken=access)
    s.run(
        cli,
        "verify_software_token",
        "verify-software-token",
        AccessToken=access,
        UserCode=totp(code["SecretCode"], time.time()),
        FriendlyDeviceName="aws-cli",
    )
    s.run(
        cli,
        "set_user_mfa_preference",
        "set-user-mfa-preference",
        AccessToken=access,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    s.run(cli, "get_user", "get-user", AccessToken=access)
    asked = s.run(
        cli,
        "mfa_initiate_auth",
        "initiate-auth",
        **srpkit.initiate_auth_request(
            pool.client_id, "USER_PASSWORD_AUTH", {"USERNAME": s.username, "PASSWORD": PASSWORD}
        ),
    )
    # The next step's code: the one VerifySoftwareToken took is spent (a code is good once).
    mfa = tokens(
        s.run(
            cli,
            "mfa_sign_in",
            "respond-to-auth-challenge",
            **srpkit.challenge_answer_request(
                pool.client_id,
                "SOFTWARE_TOKEN_MFA",
                {"SOFTWARE_TOKEN_MFA_CODE": totp(code["SecretCode"], time.time() + STEP_SECONDS)},
                username=s.username,
                session=asked["Session"],
            ),
        )
    )
    s.seen["mfa_access_claims"] = cli.access_claims(mfa["AccessToken"])

    # Global sign-out with the MFA session's token: the first session's refresh token dies too.
    s.run(cli, "global_sign_out", "global-sign-out", AccessToken=mfa["AccessToken"])
    s.refused(cli, "get_user_after_global_sign_out", "get-user", AccessToken=mfa["AccessToken"])
    s.refused(
        cli,
        "refresh_after_global_sign_out",
        "initiate-auth",
        **srpkit.refresh_request(pool.client_id, signed["RefreshToken"], device_key=device_key),
    )
    s.run(cli, "admin_delete_user", "admin-delete-user", *user)
    with pytest.raises(ClientError) as gone:
        boto.admin_get_user(UserPoolId=pool.pool_id, Username=s.username)
    s.seen["deleted"] = gone.value.response["Error"]["Code"]
    s.seen["first_access_claims"] = cli.access_claims(access)
    s.seen["admin_access_claims"] = cli.access_claims(by_admin["AccessToken"])
    s.seen["refreshed_access_claims"] = cli.access_claims(tokens(s.out("refresh"))["AccessToken"])
    return s


@pytest.fixture(scope="module")
def srp(cli: Cli, srp_backend: str) -> Session:
    """The SRP steps, once per backend: USER_SRP_AUTH, a device confirmed, remembered, signed in with, forgotten."""
    pool = cli.pool
    s = Session(f"srp{srp_backend}{secrets.token_hex(4)}")
    add_user(pool.client, pool.pool_id, s.username)
    start = len(cli.log)

    user = srpkit.UserSRP(pool.pool_id, pool.client_id, s.username, PASSWORD)
    asked = s.run(cli, "srp_initiate_auth", "initiate-auth", **srpkit.user_srp_auth_request(user))
    signed = tokens(
        s.run(
            cli,
            "password_verifier",
            "respond-to-auth-challenge",
            **srpkit.password_verifier_request(user, asked),
        )
    )
    new = signed["NewDeviceMetadata"]
    device = srpkit.new_device_secret(new["DeviceGroupKey"], new["DeviceKey"])
    s.seen["device_key"] = device.device_key
    s.run(
        cli,
        "confirm_device",
        "confirm-device",
        AccessToken=signed["AccessToken"],
        DeviceKey=device.device_key,
        DeviceSecretVerifierConfig=device.verifier_config,
        DeviceName="aws-cli",
    )
    s.run(
        cli,
        "update_device_status",
        "update-device-status",
        AccessToken=signed["AccessToken"],
        DeviceKey=device.device_key,
        DeviceRememberedStatus="remembered",
    )

    # The remembered device's sign-in: USER_SRP_AUTH and PASSWORD_VERIFIER with DEVICE_KEY,
    # then DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER, each answer computed by srpkit.
    again = srpkit.UserSRP(
        pool.pool_id, pool.client_id, s.username, PASSWORD, device_key=device.device_key
    )
    asked = s.run(
        cli, "device_initiate_auth", "initiate-auth", **srpkit.user_srp_auth_request(again)
    )
    wants_device = s.run(
        cli,
        "device_password_verifier_user",
        "respond-to-auth-challenge",
        **srpkit.password_verifier_request(again, asked),
    )
    steps = again.device_srp(device.device_group_key, device.password, asked["ChallengeParameters"])
    wants_proof = s.run(
        cli,
        "device_srp_auth",
        "respond-to-auth-challenge",
        **srpkit.device_srp_auth_request(steps, wants_device),
    )
    by_device = tokens(
        s.run(
            cli,
            "device_password_verifier",
            "respond-to-auth-challenge",
            **srpkit.device_password_verifier_request(steps, wants_proof),
        )
    )
    s.run(cli, "list_devices", "list-devices", AccessToken=by_device["AccessToken"])
    s.run(
        cli,
        "get_device",
        "get-device",
        AccessToken=by_device["AccessToken"],
        DeviceKey=device.device_key,
    )
    s.run(
        cli,
        "refresh_with_device",
        "initiate-auth",
        **srpkit.refresh_request(
            pool.client_id, by_device["RefreshToken"], device_key=device.device_key
        ),
    )
    s.run(
        cli,
        "forget_device",
        "forget-device",
        AccessToken=by_device["AccessToken"],
        DeviceKey=device.device_key,
    )
    s.seen["devices_left"] = pool.client.admin_list_devices(
        UserPoolId=pool.pool_id, Username=s.username
    )["Devices"]
    s.calls = calls(cli.log[start:])
    s.seen["srp_access_claims"] = cli.access_claims(signed["AccessToken"])
    s.seen["device_access_claims"] = cli.access_claims(by_device["AccessToken"])
    s.seen["refreshed_access_claims"] = cli.access_claims(
        tokens(s.out("refresh_with_device"))["AccessToken"]
    )
    return s


# ---------------------------------------------------------------- the pool, read back


def test_the_pinned_cli_runs() -> None:
    """The `aws` beside this interpreter is the pinned AWS CLI, the one the README's table is about."""
    require_aws()
    assert metadata.version("awscli") == PIN


def test_list_user_pools(cli: Cli, admin: Session) -> None:
    """list-user-pools lists the session pool by id and name."""
    listed = {p["Id"]: p["Name"] for p in admin.out("list_user_pools")["UserPools"]}
    assert listed[cli.pool.pool_id] == "compat"


def test_describe_user_pool(cli: Cli, admin: Session) -> None:
    """describe-user-pool shows the pool's device tracking and optional TOTP MFA as they were set."""
    described = admin.out("describe_user_pool")["UserPool"]
    assert described["Id"] == cli.pool.pool_id
    assert described["DeviceConfiguration"] == DEVICES
    assert described["MfaConfiguration"] == "OPTIONAL"


def test_create_user_pool_client(cli: Cli, admin: Session) -> None:
    """create-user-pool-client --generate-secret makes an app client with a secret and the flows asked."""
    made = admin.out("create_user_pool_client")["UserPoolClient"]
    assert made["UserPoolId"] == cli.pool.pool_id
    assert made["ClientSecret"]
    assert sorted(made["ExplicitAuthFlows"]) == sorted(ADMIN_FLOWS)


def test_list_user_pool_clients(cli: Cli, admin: Session) -> None:
    """list-user-pool-clients lists the pool's three app clients, the CLI's own among them."""
    listed = {c["ClientId"] for c in admin.out("list_user_pool_clients")["UserPoolClients"]}
    made = {cli.pool.client_id, cli.pool.secret_client_id, admin.seen["admin_client_id"]}
    assert listed == made


# ---------------------------------------------------------------- users


def test_admin_create_user_and_set_password(admin: Session) -> None:
    """admin-create-user (attributes in the CLI's shorthand) makes the user; admin-set-user-password confirms it."""
    created = admin.out("admin_create_user")["User"]
    assert created["Username"] == admin.username
    assert created["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    attributes = {a["Name"]: a["Value"] for a in created["Attributes"]}
    assert attributes["email"] == f"{admin.username}@example.com"
    assert admin.seen["status"] == "CONFIRMED"


def test_admin_disable_and_enable_user(admin: Session) -> None:
    """admin-disable-user disables the user, admin-enable-user enables it again (the sign-ins after it pass)."""
    assert admin.seen["disabled"]["Enabled"] is False
    assert admin.seen["enabled"]["Enabled"] is True


def test_list_users_with_a_filter(cli: Cli, admin: Session) -> None:
    """list-users --filter 'username = "..."' answers that user alone, though the pool holds others."""
    found = [u["Username"] for u in admin.out("list_users")["Users"]]
    assert found == [admin.username]
    everyone = cli.pool.client.list_users(UserPoolId=cli.pool.pool_id)["Users"]
    assert admin.seen["decoy"] in {u["Username"] for u in everyone}


def test_admin_delete_user(admin: Session) -> None:
    """admin-delete-user deletes the user: serve no longer knows it."""
    assert admin.out("admin_delete_user") == {}
    assert admin.seen["deleted"] == "UserNotFoundException"


# ---------------------------------------------------------------- sign-in, user info, refresh


def test_initiate_auth_user_password_auth(cli: Cli, admin: Session) -> None:
    """initiate-auth USER_PASSWORD_AUTH signs in: three tokens for the user, and a new device."""
    result = tokens(admin.out("user_password_auth"))
    assert {"AccessToken", "IdToken", "RefreshToken"} <= set(result)
    assert result["TokenType"] == "Bearer"
    assert result["NewDeviceMetadata"]["DeviceKey"].startswith(f"{cli.pool.pool_id.split('_')[0]}_")
    claims = admin.seen["first_access_claims"]
    assert (claims["username"], claims["client_id"]) == (admin.username, cli.pool.client_id)


def test_admin_initiate_auth_with_secret_hash(admin: Session) -> None:
    """admin-initiate-auth ADMIN_USER_PASSWORD_AUTH with SECRET_HASH signs in through the app client with a secret."""
    assert {"AccessToken", "IdToken", "RefreshToken"} <= set(
        tokens(admin.out("admin_initiate_auth"))
    )
    claims = admin.seen["admin_access_claims"]
    assert (claims["username"], claims["client_id"]) == (
        admin.username,
        admin.seen["admin_client_id"],
    )


def test_get_user(admin: Session) -> None:
    """get-user answers for the access token's user, with its attributes and its TOTP preference."""
    user = admin.out("get_user")
    assert user["Username"] == admin.username
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["email"] == f"{admin.username}@example.com"
    assert user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA"
    assert user["UserMFASettingList"] == ["SOFTWARE_TOKEN_MFA"]


def test_refresh_token_auth(admin: Session) -> None:
    """initiate-auth REFRESH_TOKEN_AUTH (with the sign-in's DEVICE_KEY) gets new tokens and no new refresh token."""
    result = tokens(admin.out("refresh"))
    assert "RefreshToken" not in result
    before, after = admin.seen["first_access_claims"], admin.seen["refreshed_access_claims"]
    assert after["username"] == admin.username
    assert after["jti"] != before["jti"]
    assert after["origin_jti"] == before["origin_jti"]


# ---------------------------------------------------------------- TOTP


def test_totp_set_up(admin: Session) -> None:
    """associate-software-token gives a secret; verify-software-token takes its code; the preference is set."""
    assert len(admin.out("associate_software_token")["SecretCode"]) >= 16
    assert admin.out("verify_software_token")["Status"] == "SUCCESS"
    assert admin.out("set_user_mfa_preference") == {}


def test_sign_in_with_a_totp_code(admin: Session) -> None:
    """initiate-auth asks SOFTWARE_TOKEN_MFA, and respond-to-auth-challenge with the next code signs in."""
    assert admin.out("mfa_initiate_auth")["ChallengeName"] == "SOFTWARE_TOKEN_MFA"
    assert "AccessToken" in tokens(admin.out("mfa_sign_in"))
    assert admin.seen["mfa_access_claims"]["username"] == admin.username


# ---------------------------------------------------------------- sign-out


def test_revoke_token(admin: Session) -> None:
    """revoke-token (with the client secret) revokes the refresh token: refreshing with it is refused."""
    assert admin.out("revoke_token") == {}
    refused = admin.answers["refresh_revoked"]
    assert refused.status == FAILED
    assert REFUSED in refused.stderr
    assert REVOKED in refused.stderr


def test_global_sign_out(admin: Session) -> None:
    """global-sign-out revokes all the user's sessions: its access token and an older refresh token are refused."""
    assert admin.out("global_sign_out") == {}
    for step, message in (
        ("get_user_after_global_sign_out", "Access Token has been revoked"),
        ("refresh_after_global_sign_out", REVOKED),
    ):
        refused = admin.answers[step]
        assert refused.status == FAILED
        assert REFUSED in refused.stderr
        assert message in refused.stderr


# ---------------------------------------------------------------- SRP and devices (both backends)


def test_user_srp_auth(srp: Session) -> None:
    """initiate-auth USER_SRP_AUTH asks PASSWORD_VERIFIER; srpkit's answer, carried by the CLI, signs in."""
    asked = srp.out("srp_initiate_auth")
    assert asked["ChallengeName"] == "PASSWORD_VERIFIER"
    assert asked["ChallengeParameters"]["USER_ID_FOR_SRP"] == srp.username
    assert {"AccessToken", "IdToken", "RefreshToken"} <= set(tokens(srp.out("password_verifier")))
    assert srp.seen["srp_access_claims"]["username"] == srp.username
    assert "RespondToAuthChallenge:PASSWORD_VERIFIER 200" in srp.calls


def test_confirm_and_remember_the_device(srp: Session) -> None:
    """confirm-device takes srpkit's verifier (the pool asks the user); update-device-status remembers it."""
    assert srp.out("confirm_device") == {"UserConfirmationNecessary": True}
    assert srp.out("update_device_status") == {}
    listed = srp.out("list_devices")["Devices"]
    assert [d["DeviceKey"] for d in listed] == [srp.seen["device_key"]]
    status = {a["Name"]: a["Value"] for a in listed[0]["DeviceAttributes"]}
    assert status["device_remembered_status"] == "remembered"


def test_get_device(srp: Session) -> None:
    """get-device returns the device signed in with: its key and its remembered status."""
    device = srp.out("get_device")["Device"]
    assert device["DeviceKey"] == srp.seen["device_key"]
    status = {a["Name"]: a["Value"] for a in device["DeviceAttributes"]}
    assert status["device_remembered_status"] == "remembered"


def test_sign_in_with_the_remembered_device(srp: Session) -> None:
    """With DEVICE_KEY, PASSWORD_VERIFIER leads to DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER, and tokens."""
    assert srp.out("device_password_verifier_user")["ChallengeName"] == "DEVICE_SRP_AUTH"
    assert srp.out("device_srp_auth")["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    result = tokens(srp.out("device_password_verifier"))
    assert "NewDeviceMetadata" not in result
    assert srp.seen["device_access_claims"]["device_key"] == srp.seen["device_key"]
    assert "RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER 200" in srp.calls


def test_refresh_with_the_device(srp: Session) -> None:
    """initiate-auth REFRESH_TOKEN_AUTH with DEVICE_KEY refreshes the device's session."""
    assert "RefreshToken" not in tokens(srp.out("refresh_with_device"))
    claims = srp.seen["refreshed_access_claims"]
    assert claims["device_key"] == srp.seen["device_key"]
    assert claims["origin_jti"] == srp.seen["device_access_claims"]["origin_jti"]


def test_forget_device(srp: Session) -> None:
    """forget-device forgets the device: the user has none left."""
    assert srp.out("forget_device") == {}
    assert srp.seen["devices_left"] == []
