"""`srpkit serve`: the JSON 1.1 wire, AWS-shaped errors, JWTs and JWKS, SQLite state, the CLI."""

from __future__ import annotations

import http.client
import io
import json
import os
import sqlite3
import stat
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jwt
import pytest
from serve_support import PASSWORD, add_user, boto_client, make_pool, running

from srpkit import (
    UserSRP,
    new_device_secret,
    password_verifier_request,
    select_password_srp_request,
    user_auth_request,
    user_srp_auth_request,
)
from srpkit.__main__ import main
from srpkit._cli import CommandIO
from srpkit._core.group import N
from srpkit.aws import authenticate, confirm_device
from srpkit.endpoint.http import MAX_BODY_BYTES, serve_in_thread
from srpkit.endpoint.service import CognitoService, ServiceError
from srpkit.endpoint.state import StateFileError

TARGET = "AWSCognitoIdentityProviderService."


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Any, Any, list[str]]]:
    """One in-process server (with its request log) and a boto3 client for this module."""
    with running() as started:
        yield started


def post(
    url: str, operation: str, body: bytes, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], dict[str, Any]]:
    """A raw POST, as a client other than botocore would send it: (status, headers, JSON body)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        conn.request(
            "POST",
            "/",
            body=body,
            headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": TARGET + operation,
                **(headers or {}),
            },
        )
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), json.loads(response.read() or b"{}")
    finally:
        conn.close()


def sign_in(client: Any, pool_id: str, client_id: str, username: str, password: str) -> Any:
    """USER_SRP_AUTH through boto3 with srpkit's request builders; the final response."""
    user = UserSRP(pool_id, client_id, username, password)
    challenge = client.initiate_auth(**user_srp_auth_request(user))
    return client.respond_to_auth_challenge(**password_verifier_request(user, challenge))


def test_errors_have_the_aws_shape(server: tuple[Any, Any, list[str]]) -> None:
    """Errors are 400 with {"__type", "message"} and x-amzn-ErrorType; botocore maps them to classes."""
    handle, client, _ = server
    status, headers, body = post(
        handle.url, "DescribeUserPool", b'{"UserPoolId": "us-east-1_nope"}'
    )
    assert status == 400 and body["__type"] == "ResourceNotFoundException" and body["message"]
    assert headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert headers["Content-Type"] == "application/x-amz-json-1.1"
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.describe_user_pool(UserPoolId="us-east-1_nope")
    assert post(handle.url, "CreateUserPool", b"{}")[2]["__type"] == "InvalidParameterException"
    assert post(handle.url, "CreateUserPool", b"[1]")[2]["__type"] == "SerializationException"
    assert post(handle.url, "CreateUserPool", b"{bad")[2]["__type"] == "SerializationException"
    assert post(handle.url, "DeleteEverything", b"{}")[2]["__type"] == "UnknownOperationException"


def test_oversized_bodies_are_refused_unread(server: tuple[Any, Any, list[str]]) -> None:
    """A body over 1 MiB gets 413, also when the client waits for 100-continue before sending it."""
    handle, _, _ = server
    status, _, body = post(handle.url, "InitiateAuth", b" " * (MAX_BODY_BYTES + 1))
    assert status == 413 and body["__type"] == "RequestEntityTooLargeException"
    parts = urlsplit(handle.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        conn.putrequest("POST", "/")
        conn.putheader("X-Amz-Target", TARGET + "InitiateAuth")
        conn.putheader("Content-Length", str(50 * MAX_BODY_BYTES))
        conn.putheader("Expect", "100-continue")
        conn.endheaders()
        assert conn.getresponse().status == 413
    finally:
        conn.close()


@pytest.mark.usefixtures("srp_backend")
def test_tokens_are_cognito_shaped_rs256_jwts(server: tuple[Any, Any, list[str]]) -> None:
    """ID and access tokens verify with PyJWT against the JWKS and carry Cognito's claims."""
    handle, client, _ = server
    pool_id, client_id, _ = make_pool(client)
    add_user(client, pool_id, "kim", email="kim@example.com", email_verified="true")
    tokens = sign_in(client, pool_id, client_id, "kim", PASSWORD)["AuthenticationResult"]
    issuer = f"{handle.url}/{pool_id}"
    config = jwt.PyJWKClient(f"{issuer}/.well-known/jwks.json")
    id_token = jwt.decode(
        tokens["IdToken"],
        config.get_signing_key_from_jwt(tokens["IdToken"]).key,
        algorithms=["RS256"],
        audience=client_id,
        issuer=issuer,
    )
    access = jwt.decode(
        tokens["AccessToken"],
        config.get_signing_key_from_jwt(tokens["AccessToken"]).key,
        algorithms=["RS256"],
        issuer=issuer,
    )
    common = {"sub", "iss", "exp", "iat", "auth_time", "jti", "origin_jti", "event_id", "token_use"}
    assert common | {"aud", "cognito:username", "email", "email_verified"} <= set(id_token)
    assert common | {"client_id", "username", "scope"} <= set(access)
    assert (id_token["token_use"], access["token_use"]) == ("id", "access")
    assert id_token["cognito:username"] == access["username"] == "kim"
    assert id_token["sub"] == access["sub"] and id_token["email_verified"] is True
    assert access["client_id"] == client_id and access["exp"] - access["iat"] == 3600
    assert access["origin_jti"] == id_token["origin_jti"] and access["jti"] != id_token["jti"]
    conn = http.client.HTTPConnection(
        urlsplit(handle.url).hostname or "", urlsplit(handle.url).port
    )
    conn.request("GET", f"/{pool_id}/.well-known/openid-configuration")
    assert json.loads(conn.getresponse().read())["jwks_uri"] == f"{issuer}/.well-known/jwks.json"
    conn.close()


@pytest.mark.usefixtures("srp_backend")
def test_aws_issuer_keeps_the_jwks_uri_local() -> None:
    """With Cognito's issuer (``--issuer aws``), openid-configuration's jwks_uri still serves our keys."""
    with running() as (handle, client, _):
        handle.service.issuer_base = None  # what `srpkit serve --issuer aws` sets
        pool_id, client_id, _ = make_pool(client)
        add_user(client, pool_id, "aws")
        tokens = sign_in(client, pool_id, client_id, "aws", PASSWORD)["AuthenticationResult"]
        url = f"{handle.url}/{pool_id}/.well-known/openid-configuration"
        with urllib.request.urlopen(url, timeout=10) as answer:
            config = json.loads(answer.read())
        issuer = f"https://cognito-idp.us-east-1.amazonaws.com/{pool_id}"
        assert config["issuer"] == issuer
        assert config["jwks_uri"] == f"{handle.url}/{pool_id}/.well-known/jwks.json"
        keys = jwt.PyJWKClient(config["jwks_uri"])
        claims = jwt.decode(
            tokens["AccessToken"],
            keys.get_signing_key_from_jwt(tokens["AccessToken"]).key,
            algorithms=["RS256"],
            issuer=config["issuer"],
        )
        assert claims["username"] == "aws"


@pytest.mark.usefixtures("srp_backend")
def test_access_tokens_are_checked(server: tuple[Any, Any, list[str]]) -> None:
    """ConfirmDevice refuses a tampered or foreign access token, and a bad verifier config."""
    _, client, _ = server
    devices = {"ChallengeRequiredOnNewDevice": False, "DeviceOnlyRememberedOnUserPrompt": False}
    pool_id, client_id, _ = make_pool(client, DeviceConfiguration=devices)
    add_user(client, pool_id, "lee")
    result = sign_in(client, pool_id, client_id, "lee", PASSWORD)["AuthenticationResult"]
    token, meta = result["AccessToken"], result["NewDeviceMetadata"]
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    config = new_device_secret(meta["DeviceGroupKey"], meta["DeviceKey"]).verifier_config
    for bad in (forged, "not-a-jwt", f"{header}.{payload}"):
        with pytest.raises(client.exceptions.NotAuthorizedException, match="Invalid Access Token"):
            client.confirm_device(
                AccessToken=bad, DeviceKey=meta["DeviceKey"], DeviceSecretVerifierConfig=config
            )
    with pytest.raises(client.exceptions.InvalidParameterException, match="PasswordVerifier"):
        client.confirm_device(
            AccessToken=token,
            DeviceKey=meta["DeviceKey"],
            DeviceSecretVerifierConfig={"PasswordVerifier": "AA==", "Salt": "AA=="},
        )
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.forget_device(AccessToken=token, DeviceKey="us-east-1_00000000-0000-0000-0000-0")


@pytest.mark.usefixtures("srp_backend")
def test_sign_in_refusals(server: tuple[Any, Any, list[str]]) -> None:
    """Unknown users, unsafe SRP_A, reused sessions and weak passwords get Cognito's errors."""
    _, client, log = server
    pool_id, client_id, _ = make_pool(client)
    add_user(client, pool_id, "mia")
    with pytest.raises(client.exceptions.UserNotFoundException):
        sign_in(client, pool_id, client_id, "nobody", PASSWORD)
    user = UserSRP(pool_id, client_id, "mia", PASSWORD)
    body = user_srp_auth_request(user)
    body["AuthParameters"]["SRP_A"] = format(N, "x")
    log.clear()
    with pytest.raises(client.exceptions.NotAuthorizedException):
        client.initiate_auth(**body)
    assert log == [
        "InitiateAuth:USER_SRP_AUTH 400 NotAuthorizedException [srp_a: SRP_A: is 0 "
        "modulo N (it would authenticate without the password); refusing]"
    ]
    challenge = client.initiate_auth(**user_srp_auth_request(user))
    answer = password_verifier_request(user, challenge)
    client.respond_to_auth_challenge(**answer)
    with pytest.raises(client.exceptions.NotAuthorizedException, match="Invalid session"):
        client.respond_to_auth_challenge(**answer)
    with pytest.raises(client.exceptions.InvalidPasswordException, match="uppercase"):
        client.admin_set_user_password(UserPoolId=pool_id, Username="mia", Password="lowercase1!")
    with pytest.raises(client.exceptions.UsernameExistsException):
        client.admin_create_user(UserPoolId=pool_id, Username="mia")


@pytest.mark.usefixtures("srp_backend")
def test_user_auth_select_challenge_then_password_srp(server: tuple[Any, Any, list[str]]) -> None:
    """USER_AUTH without a preference offers SELECT_CHALLENGE; PASSWORD_SRP then runs SRP, for that user only."""
    _, client, _ = server
    pool_id, client_id, _ = make_pool(client, flows=["ALLOW_USER_AUTH"])
    add_user(client, pool_id, "una")
    add_user(client, pool_id, "vic")
    user = UserSRP(pool_id, client_id, "una", PASSWORD)
    select = client.initiate_auth(**user_auth_request(user, preferred_challenge=None))
    assert select["ChallengeName"] == "SELECT_CHALLENGE"
    assert select["AvailableChallenges"] == ["PASSWORD_SRP"]
    challenge = client.respond_to_auth_challenge(**select_password_srp_request(user, select))
    done = client.respond_to_auth_challenge(**password_verifier_request(user, challenge))
    assert "AccessToken" in done["AuthenticationResult"]
    select = client.initiate_auth(**user_auth_request(user, preferred_challenge=None))
    other = UserSRP(pool_id, client_id, "vic", PASSWORD)
    with pytest.raises(client.exceptions.NotAuthorizedException, match="Invalid session"):
        client.respond_to_auth_challenge(**select_password_srp_request(other, select))


@pytest.mark.usefixtures("srp_backend")
def test_case_insensitive_pool_signs_the_stored_username(
    server: tuple[Any, Any, list[str]],
) -> None:
    """With CaseSensitive false, 'WENDY' finds 'Wendy', and the claim is signed over 'Wendy'."""
    _, client, _ = server
    pool_id, client_id, _ = make_pool(client, UsernameConfiguration={"CaseSensitive": False})
    add_user(client, pool_id, "Wendy")
    result = authenticate(
        client, pool_id=pool_id, client_id=client_id, username="WENDY", password=PASSWORD
    )
    assert result.signed_in and result.username == "Wendy"


@pytest.mark.usefixtures("srp_backend")
def test_refusals_name_the_reason_but_no_secret(server: tuple[Any, Any, list[str]]) -> None:
    """The request log says why a sign-in failed; neither it nor the errors show a secret."""
    _, client, log = server
    pool_id, client_id, client_secret = make_pool(client, secret=True)
    assert client_secret is not None
    add_user(client, pool_id, "ned")
    kwargs = {"pool_id": pool_id, "client_id": client_id, "username": "ned"}
    log.clear()
    errors = []
    for password, secret in (("Wr0ng-password!", client_secret), (PASSWORD, client_secret[::-1])):
        with pytest.raises(client.exceptions.NotAuthorizedException) as info:
            authenticate(client, password=password, client_secret=secret, **kwargs)
        errors.append(str(info.value))
    assert log[0] == "InitiateAuth:USER_SRP_AUTH 200"
    assert log[1].startswith(
        "RespondToAuthChallenge:PASSWORD_VERIFIER 400 NotAuthorizedException [signature:"
    )
    assert log[2].startswith("InitiateAuth:USER_SRP_AUTH 400 NotAuthorizedException [secret_hash:")
    assert "Unable to verify secret hash" in errors[1]
    for text in log + errors:
        for secret in ("Wr0ng", PASSWORD, client_secret, client_secret[::-1]):
            assert secret not in text


@pytest.mark.usefixtures("srp_backend")
def test_prevent_user_existence_errors_answers_a_stable_decoy(
    server: tuple[Any, Any, list[str]],
) -> None:
    """With PreventUserExistenceErrors, an unknown user gets a challenge (same salt each time), then NotAuthorized."""
    _, client, _ = server
    pool_id, client_id, _ = make_pool(
        client, client_options={"PreventUserExistenceErrors": "ENABLED"}
    )
    salts = []
    for _ in range(2):
        user = UserSRP(pool_id, client_id, "ghost", PASSWORD)
        challenge = client.initiate_auth(**user_srp_auth_request(user))
        salts.append(challenge["ChallengeParameters"]["SALT"])
        with pytest.raises(client.exceptions.NotAuthorizedException):
            client.respond_to_auth_challenge(**password_verifier_request(user, challenge))
    assert salts[0] == salts[1]


@pytest.mark.usefixtures("srp_backend")
def test_session_expires() -> None:
    """A Session answered after the client's AuthSessionValidity (3 minutes) is refused."""
    now = [1_700_000_000.0]
    service = CognitoService(clock=lambda: now[0])
    pool = service.create_pool("p", pool_id="us-east-1_Exp1")
    app = service.create_client(pool.id, "c")
    service.add_user(pool.id, "olga", PASSWORD)
    user = UserSRP(pool.id, app.id, "olga", PASSWORD)
    challenge = service.handle("InitiateAuth", user_srp_auth_request(user))
    now[0] += 181
    with pytest.raises(ServiceError, match="expired"):
        service.handle("RespondToAuthChallenge", password_verifier_request(user, challenge))


@pytest.mark.usefixtures("srp_backend")
def test_state_survives_a_restart(tmp_path: Path) -> None:
    """With a state file, pools, users, devices and the signing key outlive the server; no password is stored."""
    state = tmp_path / "state.db"
    devices = {"ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False}
    with running(state=state) as (handle, client, _):
        pool_id, client_id, client_secret = make_pool(
            client, secret=True, DeviceConfiguration=devices
        )
        add_user(client, pool_id, "pat")
        kwargs = {
            "pool_id": pool_id,
            "client_id": client_id,
            "client_secret": client_secret,
            "username": "pat",
            "password": PASSWORD,
        }
        first = authenticate(client, **kwargs)
        assert first.authentication_result is not None and first.new_device_metadata is not None
        device = confirm_device(
            client,
            access_token=first.authentication_result["AccessToken"],
            device_key=first.new_device_metadata["DeviceKey"],
            device_group_key=first.new_device_metadata["DeviceGroupKey"],
        )
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o600
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("state.db*"))
    assert PASSWORD.encode() not in raw and device.password.encode() not in raw
    assert device.device_key.encode() in raw  # the file does hold the state
    with running(state=state) as (handle, client, _):
        again = authenticate(client, device=device, **kwargs)
        assert again.authentication_result is not None and again.new_device_metadata is None
        # Tokens issued before the restart still verify against the restored key.
        token = first.authentication_result["IdToken"]
        keys = jwt.PyJWKClient(f"{handle.url}/{pool_id}/.well-known/jwks.json")
        key = keys.get_signing_key_from_jwt(token).key
        assert jwt.decode(token, key, algorithms=["RS256"], audience=client_id)["sub"]
        client.update_device_status(
            AccessToken=first.authentication_result["AccessToken"],
            DeviceKey=device.device_key,
            DeviceRememberedStatus="remembered",
        )


def test_state_file_is_exclusive_and_checked(tmp_path: Path) -> None:
    """A state file in use, or not srpkit's, is refused with a clear error (the CLI exits 1)."""
    state = tmp_path / "state.db"
    with serve_in_thread(state=state), pytest.raises(StateFileError, match="in use"):
        serve_in_thread(state=state)
    foreign = tmp_path / "other.db"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE t (x)")
    # Private, so the refusal is about its contents (#18 refuses others' modes).
    foreign.chmod(0o600)
    err = io.StringIO()
    status = main(
        ["serve", "--port", "0", "--state", str(foreign)],
        CommandIO(io.StringIO(), io.StringIO(), err, {}),
    )
    assert status == 1 and "not an srpkit state file" in err.getvalue()


def test_cli_usage_errors() -> None:
    """A port out of range is a usage error (exit 2); a port in use is an error (exit 1)."""
    err = io.StringIO()
    assert main(["serve", "--port", "70000"], CommandIO(io.StringIO(), io.StringIO(), err, {})) == 2
    with serve_in_thread() as handle:
        port = urlsplit(handle.url).port
        status = main(
            ["serve", "--port", str(port)], CommandIO(io.StringIO(), io.StringIO(), err, {})
        )
    assert status == 1 and "cannot listen" in err.getvalue()


def test_boto_client_with_region_names_pool_ids() -> None:
    """The region botocore signs for names new pools' ids (as Cognito's ids start with the region)."""
    with serve_in_thread() as handle:
        client = boto_client(handle.url, region="eu-central-1")
        pool_id, _, _ = make_pool(client)
    assert pool_id.startswith("eu-central-1_")
