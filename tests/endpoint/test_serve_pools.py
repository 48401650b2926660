"""Pools and app clients on `srpkit serve` through a real boto3 client: ListUserPools, ListUserPoolClients,
DeleteUserPool, UpdateUserPoolClient, DeleteUserPoolClient; and one signing key per service (#18 item 8).
"""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from botocore.exceptions import ClientError

from srpkit.aws import authenticate
from srpkit.endpoint.http import serve_in_thread
from srpkit.endpoint.tokens import SigningKey
from tests.serve_support import PASSWORD, add_user, boto_client, make_pool, running

Server = tuple[Any, Any, list[str]]
TARGET = "AWSCognitoIdentityProviderService."


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """One in-process server and a boto3 client for the whole module."""
    with running() as started:
        yield started


def error_of(call: Any, **body: Any) -> tuple[str, str]:
    """The (code, message) of the ClientError a call raises."""
    with pytest.raises(ClientError) as caught:
        call(**body)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def raw_call(url: str, operation: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """A POST botocore would refuse to send (it checks required members itself)."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"X-Amz-Target": TARGET + operation, "Content-Type": "application/x-amz-json-1.1"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_list_user_pools_pages_with_max_results(server: Server) -> None:
    """ListUserPools pages with MaxResults / NextToken; boto3's paginator walks every pool once."""
    _, client, _ = server
    made = {make_pool(client)[0] for _ in range(3)}
    seen: list[str] = []
    body: dict[str, Any] = {"MaxResults": 1}
    while True:
        got = client.list_user_pools(**body)
        assert len(got["UserPools"]) <= 1
        seen += [p["Id"] for p in got["UserPools"]]
        if "NextToken" not in got:
            break
        body["NextToken"] = got["NextToken"]
    assert made <= set(seen) and len(seen) == len(set(seen))
    entry = client.list_user_pools(MaxResults=60)["UserPools"][0]
    assert {"Id", "Name", "LambdaConfig", "CreationDate", "LastModifiedDate"} <= set(entry)
    paged = client.get_paginator("list_user_pools").paginate(PaginationConfig={"PageSize": 2})
    assert sorted(p["Id"] for page in paged for p in page["UserPools"]) == sorted(seen)


def test_list_user_pools_refuses_what_aws_refuses(server: Server) -> None:
    """MaxResults is required and 1 to 60 (AWS's validation wording); a NextToken not ours is refused."""
    handle, client, _ = server
    status, body = raw_call(handle.url, "ListUserPools", {})
    assert status == 400 and body == {
        "__type": "InvalidParameterException",
        "message": "1 validation error detected: Value '0' at 'maxResults' failed to satisfy "
        "constraint: Member must have value greater than or equal to 1",
    }
    assert error_of(client.list_user_pools, MaxResults=61) == (
        "InvalidParameterException",
        "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 60",
    )
    code, _ = error_of(client.list_user_pools, MaxResults=5, NextToken="not-ours")
    assert code == "InvalidParameterException"


def test_list_user_pool_clients(server: Server) -> None:
    """ListUserPoolClients lists ClientId / UserPoolId / ClientName, paged by MaxResults."""
    _, client, _ = server
    pool_id, first, _ = make_pool(client)
    second = client.create_user_pool_client(UserPoolId=pool_id, ClientName="two")["UserPoolClient"]
    page = client.list_user_pool_clients(UserPoolId=pool_id, MaxResults=1)
    rest = client.list_user_pool_clients(UserPoolId=pool_id, NextToken=page["NextToken"])
    listed = page["UserPoolClients"] + rest["UserPoolClients"]
    assert sorted((c["ClientId"], c["ClientName"]) for c in listed) == sorted(
        [(first, "app"), (second["ClientId"], "two")]
    )
    assert all(c["UserPoolId"] == pool_id for c in listed) and "NextToken" not in rest
    assert error_of(client.list_user_pool_clients, UserPoolId="us-east-1_nope") == (
        "ResourceNotFoundException",
        "User pool us-east-1_nope does not exist.",
    )


@pytest.mark.usefixtures("srp_backend")
def test_update_user_pool_client(server: Server) -> None:
    """UpdateUserPoolClient replaces the settings (omitted ones back to default), keeping the secret."""
    _, client, _ = server
    pool_id, client_id, secret = make_pool(client, secret=True)
    add_user(client, pool_id, "uc")
    updated = client.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=client_id,
        ClientName="renamed",
        ExplicitAuthFlows=["ALLOW_USER_AUTH"],
        AccessTokenValidity=5,
        TokenValidityUnits={"AccessToken": "minutes"},
    )["UserPoolClient"]
    assert updated["ClientName"] == "renamed" and updated["ExplicitAuthFlows"] == [
        "ALLOW_USER_AUTH"
    ]
    assert updated["AccessTokenValidity"] == 5 and updated["ClientSecret"] == secret
    described = client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert described["UserPoolClient"] == updated
    # USER_SRP_AUTH is no longer enabled for this client.
    with pytest.raises(client.exceptions.InvalidParameterException):
        authenticate(
            client,
            pool_id=pool_id,
            client_id=client_id,
            username="uc",
            password=PASSWORD,
            client_secret=secret,
        )
    reset = client.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert (
        reset["AccessTokenValidity"] == 60 and "ALLOW_USER_SRP_AUTH" in reset["ExplicitAuthFlows"]
    )
    assert error_of(client.update_user_pool_client, UserPoolId=pool_id, ClientId="nope") == (
        "ResourceNotFoundException",
        "User pool client does not exist.",
    )


@pytest.mark.usefixtures("srp_backend")
def test_delete_user_pool_client(server: Server) -> None:
    """After DeleteUserPoolClient, sign-ins through it are ResourceNotFoundException."""
    _, client, _ = server
    pool_id, client_id, _ = make_pool(client)
    add_user(client, pool_id, "dc")
    client.delete_user_pool_client(UserPoolId=pool_id, ClientId=client_id)
    assert client.list_user_pool_clients(UserPoolId=pool_id)["UserPoolClients"] == []
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        authenticate(client, pool_id=pool_id, client_id=client_id, username="dc", password=PASSWORD)
    assert error_of(client.delete_user_pool_client, UserPoolId=pool_id, ClientId=client_id) == (
        "ResourceNotFoundException",
        "User pool client does not exist.",
    )


@pytest.mark.usefixtures("srp_backend")
def test_delete_user_pool(server: Server) -> None:
    """DeleteUserPool takes its clients, users and JWKS; its tokens stop working."""
    handle, client, _ = server
    pool_id, client_id, _ = make_pool(client)
    add_user(client, pool_id, "dp")
    result = authenticate(
        client, pool_id=pool_id, client_id=client_id, username="dp", password=PASSWORD
    )
    assert result.authentication_result is not None
    token = result.authentication_result["AccessToken"]
    client.delete_user_pool(UserPoolId=pool_id)
    gone = ("ResourceNotFoundException", f"User pool {pool_id} does not exist.")
    assert error_of(client.describe_user_pool, UserPoolId=pool_id) == gone
    assert error_of(client.delete_user_pool, UserPoolId=pool_id) == gone
    assert pool_id not in {p["Id"] for p in client.list_user_pools(MaxResults=60)["UserPools"]}
    assert error_of(client.get_user, AccessToken=token) == (
        "NotAuthorizedException",
        "Invalid Access Token",
    )
    assert handle.service.jwks(pool_id) is None


def test_deleted_pool_stays_deleted_after_a_restart(tmp_path: Path) -> None:
    """With --state, a deleted pool (and its client) is not back after a restart."""
    state = tmp_path / "state.db"
    with serve_in_thread(state=state) as handle:
        client = boto_client(handle.url)
        kept, _, _ = make_pool(client)
        dropped, _, _ = make_pool(client)
        client.delete_user_pool(UserPoolId=dropped)
    assert os.stat(state).st_size > 0
    with serve_in_thread(state=state) as handle:
        client = boto_client(handle.url)
        ids = {p["Id"] for p in client.list_user_pools(MaxResults=60)["UserPools"]}
    assert ids == {kept}


def test_create_user_pool_generates_no_key_per_call() -> None:
    """CreateUserPool does not generate an RSA key per call: one per service, shared (#18 item 8)."""
    spy = mock.patch.object(SigningKey, "generate", wraps=SigningKey.generate)
    with spy as generate, serve_in_thread() as handle:
        client = boto_client(handle.url)
        pools = [make_pool(client)[0] for _ in range(4)]
        jwks = [handle.service.jwks(pool_id) for pool_id in pools]
    assert generate.call_count == 1
    assert all(keys == jwks[0] for keys in jwks) and jwks[0] is not None


_ROTATION = {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10}


@pytest.mark.usefixtures("srp_backend")
def test_client_token_lifetimes_and_rotation_round_trip(server: Server) -> None:
    """Create/UpdateUserPoolClient keep RefreshTokenRotation and the lifetimes; Describe shows them."""
    _, client, _ = server
    pool_id, client_id, _ = make_pool(
        client,
        client_options={
            "RefreshTokenRotation": _ROTATION,
            "RefreshTokenValidity": 90,
            "AccessTokenValidity": 2,
            "IdTokenValidity": 30,
            "TokenValidityUnits": {"RefreshToken": "minutes", "IdToken": "minutes"},
        },
    )
    app = client.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert app["RefreshTokenRotation"] == _ROTATION
    assert (app["AccessTokenValidity"], app["TokenValidityUnits"]["AccessToken"]) == (
        120,
        "minutes",
    )
    assert (app["IdTokenValidity"], app["TokenValidityUnits"]["IdToken"]) == (30, "minutes")
    assert (app["RefreshTokenValidity"], app["TokenValidityUnits"]["RefreshToken"]) == (
        90,
        "minutes",
    )
    add_user(client, pool_id, "life")
    signed = authenticate(
        client, pool_id=pool_id, client_id=client_id, username="life", password=PASSWORD
    )
    assert signed.authentication_result is not None
    assert signed.authentication_result["ExpiresIn"] == 7200
    # Rotation is on: the refresh token renews through GetTokensFromRefreshToken, with a successor.
    renewed = client.get_tokens_from_refresh_token(
        ClientId=client_id, RefreshToken=signed.authentication_result["RefreshToken"]
    )["AuthenticationResult"]
    assert renewed["RefreshToken"] != signed.authentication_result["RefreshToken"]
    # UpdateUserPoolClient without them: rotation unset, lifetimes back to their defaults.
    reset = client.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    assert "RefreshTokenRotation" not in reset
    assert (reset["RefreshTokenValidity"], reset["TokenValidityUnits"]["RefreshToken"]) == (
        30,
        "days",
    )
    turned_off = client.update_user_pool_client(
        UserPoolId=pool_id,
        ClientId=client_id,
        RefreshTokenRotation={"Feature": "DISABLED"},
        RefreshTokenValidity=0,  # AWS: 0 means the default, 30 days
    )["UserPoolClient"]
    assert turned_off["RefreshTokenRotation"] == {
        "Feature": "DISABLED",
        "RetryGracePeriodSeconds": 0,
    }
    assert turned_off["RefreshTokenValidity"] == 30


def test_client_token_lifetimes_outside_aws_bounds_are_refused(server: Server) -> None:
    """Refresh tokens live 60 minutes to 10 years, access and id tokens 5 minutes to 1 day."""
    _, client, _ = server
    pool_id, _, _ = make_pool(client)
    for options in (
        {"RefreshTokenValidity": 59, "TokenValidityUnits": {"RefreshToken": "minutes"}},
        {"RefreshTokenValidity": 3651},
        {"AccessTokenValidity": 4, "TokenValidityUnits": {"AccessToken": "minutes"}},
        {"IdTokenValidity": 2, "TokenValidityUnits": {"IdToken": "days"}},
        {"RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 61}},
    ):
        code, message = error_of(
            client.create_user_pool_client, UserPoolId=pool_id, ClientName="b", **options
        )
        assert code == "InvalidParameterException", options
        # The whole path of the member refused, nested ones included.
        assert message.startswith(next(iter(options))), (options, message)
        if "RefreshTokenRotation" in options:
            assert message.startswith("RefreshTokenRotation.RetryGracePeriodSeconds: "), message
    made = client.create_user_pool_client(
        UserPoolId=pool_id, ClientName="max", RefreshTokenValidity=3650
    )["UserPoolClient"]
    assert (made["RefreshTokenValidity"], made["TokenValidityUnits"]["RefreshToken"]) == (
        3650,
        "days",
    )


def test_describe_user_pool_reads_the_mfa_configuration(server: Server) -> None:
    """DescribeUserPool's MfaConfiguration is what SetUserPoolMfaConfig set, not always OFF."""
    _, client, _ = server
    pool_id, _, _ = make_pool(client)
    assert client.describe_user_pool(UserPoolId=pool_id)["UserPool"]["MfaConfiguration"] == "OFF"
    client.set_user_pool_mfa_config(
        UserPoolId=pool_id,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        MfaConfiguration="OPTIONAL",
    )
    described = client.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["MfaConfiguration"] == "OPTIONAL"


@pytest.mark.usefixtures("srp_backend")
def test_delete_user_pool_drops_its_refresh_grants(tmp_path: Path) -> None:
    """DeleteUserPool leaves none of the pool's refresh-token digests in the --state file."""
    state = tmp_path / "state.db"
    with running(state=state) as (_handle, client, _log):
        pool_id, client_id, _ = make_pool(client)
        kept_pool, kept_client, _ = make_pool(client)
        for pool, app in ((pool_id, client_id), (kept_pool, kept_client)):
            add_user(client, pool, "gone")
            assert authenticate(
                client, pool_id=pool, client_id=app, username="gone", password=PASSWORD
            ).signed_in
        client.delete_user_pool(UserPoolId=pool_id)
    with sqlite3.connect(state) as db:
        pools = [row[0] for row in db.execute("SELECT pool_id FROM grants")]
    db.close()
    assert pools == [kept_pool]
