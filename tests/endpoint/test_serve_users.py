"""Users on `srpkit serve` through a real boto3 client: UpdateUserAttributes, ListUsers, AdminDeleteUser,
AdminDisableUser / AdminEnableUser, AdminUpdateUserAttributes, AdminListGroupsForUser.

Error codes and messages are AWS's: "Error while parsing filter." (aws/aws-sdk-php#1088),
the validation wording for Limit (boto/boto3#1356), "User does not exist.", "Invalid Access Token".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito

from srpkit.aws import authenticate
from tests.serve_support import PASSWORD, add_user, make_pool, running

Server = tuple[Any, Any, list[str]]


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """One in-process server and a boto3 client for the whole module."""
    with running() as started:
        yield started


def access_token(client: Any, pool_id: str, client_id: str, username: str) -> str:
    """An access token from a real USER_SRP_AUTH sign-in."""
    result = authenticate(
        client, pool_id=pool_id, client_id=client_id, username=username, password=PASSWORD
    )
    assert result.authentication_result is not None
    return str(result.authentication_result["AccessToken"])


def error_of(call: Any, **body: Any) -> tuple[str, str]:
    """The (code, message) of the ClientError a call raises."""
    with pytest.raises(ClientError) as caught:
        call(**body)
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


def attributes_of(client: Any, pool_id: str, username: str) -> dict[str, str]:
    """AdminGetUser's attributes as a dict."""
    got = client.admin_get_user(UserPoolId=pool_id, Username=username)
    return {a["Name"]: a["Value"] for a in got["UserAttributes"]}


@pytest.mark.usefixtures("srp_backend")
def test_update_user_attributes_with_an_access_token(server: Server) -> None:
    """UpdateUserAttributes changes the caller's attributes; a new email becomes unverified."""
    _, client, _ = server
    pool_id, client_id, _ = make_pool(client)
    add_user(client, pool_id, "uma", email="uma@example.com", email_verified="true")
    token = access_token(client, pool_id, client_id, "uma")
    client.update_user_attributes(
        AccessToken=token,
        UserAttributes=[
            {"Name": "given_name", "Value": "Uma"},
            {"Name": "email", "Value": "uma@example.org"},
        ],
    )
    names = {a["Name"]: a["Value"] for a in client.get_user(AccessToken=token)["UserAttributes"]}
    assert names["given_name"] == "Uma" and names["email"] == "uma@example.org"
    assert names["email_verified"] == "false"
    code, message = error_of(
        client.update_user_attributes,
        AccessToken=token,
        UserAttributes=[{"Name": "sub", "Value": "x"}],
    )
    assert (code, message) == (
        "InvalidParameterException",
        "Cannot modify an immutable attribute: sub",
    )


@pytest.mark.usefixtures("srp_backend")
def test_update_user_attributes_refuses_a_taken_alias(server: Server) -> None:
    """A verified email another user signs in with is AliasExistsException; the user is unchanged."""
    _, client, _ = server
    pool_id, client_id, _ = make_pool(client, AliasAttributes=["email"])
    add_user(client, pool_id, "ava", email="ava@example.com", email_verified="true")
    add_user(client, pool_id, "bea", email="bea@example.com", email_verified="true")
    token = access_token(client, pool_id, client_id, "bea")
    code, message = error_of(
        client.update_user_attributes,
        AccessToken=token,
        UserAttributes=[
            {"Name": "email", "Value": "ava@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    assert (code, message) == (
        "AliasExistsException",
        "An account with the given email or phone number already exists.",
    )
    assert attributes_of(client, pool_id, "bea")["email"] == "bea@example.com"


@pytest.mark.usefixtures("srp_backend")
def test_access_token_operations_refuse_bad_tokens(server: Server) -> None:
    """UpdateUserAttributes refuses a forged, an expired and a deleted user's token as GetUser does."""
    handle, client, _ = server
    pool_id, client_id, _ = make_pool(client)
    add_user(client, pool_id, "tia")
    token = access_token(client, pool_id, client_id, "tia")
    header, payload, signature = token.split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    attrs = [{"Name": "name", "Value": "T"}]
    refused = ("NotAuthorizedException", "Invalid Access Token")
    assert error_of(client.get_user, AccessToken=forged) == refused
    assert error_of(client.update_user_attributes, AccessToken=forged, UserAttributes=attrs) == (
        refused
    )
    context = handle.service._context
    real_clock = context.clock
    context.clock = lambda: real_clock() + 7200  # the token's hour is over
    try:
        assert error_of(client.update_user_attributes, AccessToken=token, UserAttributes=attrs) == (
            "NotAuthorizedException",
            "Access Token has expired",
        )
    finally:
        context.clock = real_clock
    client.admin_delete_user(UserPoolId=pool_id, Username="tia")
    assert error_of(client.update_user_attributes, AccessToken=token, UserAttributes=attrs) == (
        "NotAuthorizedException",
        "Invalid Access Token",
    )


def test_list_users_filters(server: Server) -> None:
    """Each searchable attribute filters with = and ^=; status and cognito:user_status too."""
    _, client, _ = server
    pool_id, _, _ = make_pool(client)
    add_user(
        client,
        pool_id,
        "carol",
        email="carol@example.com",
        phone_number="+15550001111",
        name="Carol C",
        given_name="Carol",
        family_name="Cole",
        preferred_username="cc",
    )
    add_user(client, pool_id, "carl", email="carl@example.org", given_name="Carl")
    add_user(client, pool_id, "dora", permanent=False, family_name='Say "hi"')
    client.admin_disable_user(UserPoolId=pool_id, Username="dora")
    sub = attributes_of(client, pool_id, "carol")["sub"]

    def listed(text: str) -> list[str]:
        return sorted(
            u["Username"] for u in client.list_users(UserPoolId=pool_id, Filter=text)["Users"]
        )

    assert listed('username = "carol"') == ["carol"]
    assert listed('username ^= "car"') == ["carl", "carol"]
    assert listed('username ^= "Car"') == []  # usernames are case-sensitive
    assert listed('email ^= "carl@"') == ["carl"]
    assert listed('email = "carol@example.com"') == ["carol"]
    assert listed('phone_number ^= "+1555"') == ["carol"]
    assert listed('name = "Carol C"') == ["carol"]
    assert listed('given_name ^= "Car"') == ["carl", "carol"]
    assert listed('family_name = "Cole"') == ["carol"]
    assert listed('family_name = "Say \\"hi\\""') == ["dora"]
    assert listed('preferred_username = "cc"') == ["carol"]
    assert listed(f'sub = "{sub}"') == ["carol"]
    assert listed('cognito:user_status = "force_change_password"') == ["dora"]
    assert listed('cognito:user_status = "CONFIRMED"') == ["carl", "carol"]
    assert listed('status = "Disabled"') == ["dora"]
    assert listed('status = "Enabled"') == ["carl", "carol"]
    assert listed("") == ["carl", "carol", "dora"]
    assert listed('given_name="Carl"') == ["carl"]  # spaces are optional


def test_list_users_refuses_what_aws_refuses(server: Server) -> None:
    """A filter that does not parse, a custom attribute, or Limit over 60: InvalidParameterException."""
    _, client, _ = server
    pool_id, _, _ = make_pool(client)
    for text in ('email "x"', 'custom:team = "a"', "email = x", 'email = "a" and name = "b"'):
        assert error_of(client.list_users, UserPoolId=pool_id, Filter=text) == (
            "InvalidParameterException",
            "Error while parsing filter.",
        )
    assert error_of(client.list_users, UserPoolId=pool_id, Limit=61) == (
        "InvalidParameterException",
        "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: "
        "Member must have value less than or equal to 60",
    )
    code, _ = error_of(client.list_users, UserPoolId=pool_id, PaginationToken="bogus")
    assert code == "InvalidParameterException"
    assert error_of(client.list_users, UserPoolId="us-east-1_nope") == (
        "ResourceNotFoundException",
        "User pool us-east-1_nope does not exist.",
    )


def test_list_users_pages_and_attributes_to_get(server: Server) -> None:
    """Limit and PaginationToken walk every user once (boto3's paginator too); AttributesToGet trims."""
    _, client, _ = server
    pool_id, _, _ = make_pool(client)
    names = [f"u{i}" for i in range(5)]
    for name in names:
        client.admin_create_user(
            UserPoolId=pool_id,
            Username=name,
            UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
            MessageAction="SUPPRESS",
        )
    seen: list[str] = []
    body: dict[str, Any] = {"UserPoolId": pool_id, "Limit": 2}
    while True:
        got = client.list_users(**body)
        assert len(got["Users"]) <= 2
        seen += [u["Username"] for u in got["Users"]]
        if "PaginationToken" not in got:
            break
        body["PaginationToken"] = got["PaginationToken"]
    assert sorted(seen) == names
    paged = client.get_paginator("list_users").paginate(
        UserPoolId=pool_id, PaginationConfig={"PageSize": 3}
    )
    assert sorted(u["Username"] for p in paged for u in p["Users"]) == names
    first = client.list_users(UserPoolId=pool_id, Limit=2)
    client.admin_delete_user(UserPoolId=pool_id, Username=first["Users"][-1]["Username"])
    rest = client.list_users(UserPoolId=pool_id, PaginationToken=first["PaginationToken"])
    assert [u["Username"] for u in rest["Users"]] == names[2:]  # a deleted anchor is no restart
    trimmed = client.list_users(UserPoolId=pool_id, AttributesToGet=["email"])["Users"][0]
    assert [a["Name"] for a in trimmed["Attributes"]] == ["email"]
    assert {"Enabled", "UserStatus", "UserCreateDate", "UserLastModifiedDate"} <= set(trimmed)


def test_pycognito_get_users(server: Server) -> None:
    """pycognito 2024.5.1's get_users (ListUsers) lists the pool's users with their attributes."""
    handle, client, _ = server
    pool_id, client_id, _ = make_pool(client)
    for name in ("pia", "pat"):
        client.admin_create_user(
            UserPoolId=pool_id,
            Username=name,
            UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
            MessageAction="SUPPRESS",
        )
    kwargs = {
        "endpoint_url": handle.url,
        "region_name": "us-east-1",
        "aws_access_key_id": "x",
        "aws_secret_access_key": "x",
    }
    cognito = Cognito(pool_id, client_id, botocore_config=None, boto3_client_kwargs=kwargs)
    users = cognito.get_users()
    assert sorted((u.username, u.email) for u in users) == [
        ("pat", "pat@example.com"),
        ("pia", "pia@example.com"),
    ]


@pytest.mark.usefixtures("srp_backend")
def test_admin_delete_user(server: Server) -> None:
    """AdminDeleteUser removes the user and its sign-in names; deleting again is UserNotFoundException."""
    _, client, _ = server
    pool_id, client_id, _ = make_pool(client, AliasAttributes=["email"])
    add_user(client, pool_id, "del", email="del@example.com", email_verified="true")
    client.admin_delete_user(UserPoolId=pool_id, Username="del")
    not_found = ("UserNotFoundException", "User does not exist.")
    assert error_of(client.admin_get_user, UserPoolId=pool_id, Username="del") == not_found
    assert error_of(client.admin_delete_user, UserPoolId=pool_id, Username="del") == not_found
    assert client.list_users(UserPoolId=pool_id)["Users"] == []
    # The alias went with the user: a new user may take it.
    add_user(client, pool_id, "new", email="del@example.com", email_verified="true")
    result = authenticate(
        client, pool_id=pool_id, client_id=client_id, username="del@example.com", password=PASSWORD
    )
    assert result.signed_in and result.username == "new"


@pytest.mark.usefixtures("srp_backend")
def test_admin_disable_and_enable_user(server: Server) -> None:
    """A disabled user cannot sign in ("User is disabled.") and shows Enabled false; enabling undoes it."""
    _, client, _ = server
    pool_id, client_id, _ = make_pool(client)
    add_user(client, pool_id, "ed")
    client.admin_disable_user(UserPoolId=pool_id, Username="ed")
    assert client.admin_get_user(UserPoolId=pool_id, Username="ed")["Enabled"] is False
    assert client.list_users(UserPoolId=pool_id)["Users"][0]["Enabled"] is False
    client.admin_disable_user(UserPoolId=pool_id, Username="ed")  # again: no error
    with pytest.raises(ClientError) as caught:
        access_token(client, pool_id, client_id, "ed")
    error = caught.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("NotAuthorizedException", "User is disabled.")
    client.admin_enable_user(UserPoolId=pool_id, Username="ed")
    assert client.admin_get_user(UserPoolId=pool_id, Username="ed")["Enabled"] is True
    assert access_token(client, pool_id, client_id, "ed")
    for call in (client.admin_disable_user, client.admin_enable_user):
        assert error_of(call, UserPoolId=pool_id, Username="nobody") == (
            "UserNotFoundException",
            "User does not exist.",
        )


def _session(client: Any, pool_id: str, client_id: str, username: str) -> dict[str, Any]:
    """The AuthenticationResult of a real USER_SRP_AUTH sign-in."""
    result = authenticate(
        client, pool_id=pool_id, client_id=client_id, username=username, password=PASSWORD
    )
    assert result.authentication_result is not None
    return dict(result.authentication_result)


def _refresh(client: Any, client_id: str, token: str) -> Any:
    return client.initiate_auth(
        ClientId=client_id,
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": token},
    )


@pytest.mark.usefixtures("srp_backend")
def test_admin_disable_user_revokes_the_users_tokens(server: Server) -> None:
    """AdminDisableUser revokes every token of the user: they stay refused after AdminEnableUser."""
    _, client, _ = server
    pool_id, client_id, _ = make_pool(client)
    add_user(client, pool_id, "dee")
    before = _session(client, pool_id, client_id, "dee")
    client.admin_disable_user(UserPoolId=pool_id, Username="dee")
    revoked = ("NotAuthorizedException", "Access Token has been revoked")
    assert error_of(client.get_user, AccessToken=before["AccessToken"]) == revoked
    client.admin_enable_user(UserPoolId=pool_id, Username="dee")
    assert error_of(client.get_user, AccessToken=before["AccessToken"]) == revoked
    assert error_of(_refresh, client=client, client_id=client_id, token=before["RefreshToken"]) == (
        "NotAuthorizedException",
        "Refresh Token has been revoked",
    )
    after = _session(client, pool_id, client_id, "dee")
    assert client.get_user(AccessToken=after["AccessToken"])["Username"] == "dee"
    assert _refresh(client, client_id, after["RefreshToken"])["AuthenticationResult"]


@pytest.mark.usefixtures("srp_backend")
def test_admin_delete_user_drops_its_refresh_tokens(server: Server) -> None:
    """A deleted user's refresh token does not sign in a new user who takes the same username."""
    _, client, _ = server
    pool_id, client_id, _ = make_pool(client)
    add_user(client, pool_id, "sam")
    old = _session(client, pool_id, client_id, "sam")
    client.admin_delete_user(UserPoolId=pool_id, Username="sam")
    add_user(client, pool_id, "sam")
    assert error_of(_refresh, client=client, client_id=client_id, token=old["RefreshToken"]) == (
        "NotAuthorizedException",
        "Invalid Refresh Token.",
    )
    assert error_of(client.get_user, AccessToken=old["AccessToken"])[0] == "NotAuthorizedException"


@pytest.mark.usefixtures("srp_backend")
def test_admin_update_user_attributes_makes_a_verified_alias(server: Server) -> None:
    """AdminUpdateUserAttributes with email_verified=true lets the user sign in with the new email."""
    _, client, _ = server
    pool_id, client_id, _ = make_pool(client, AliasAttributes=["email"])
    add_user(client, pool_id, "ida")
    client.admin_update_user_attributes(
        UserPoolId=pool_id,
        Username="ida",
        UserAttributes=[
            {"Name": "email", "Value": "ida@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    result = authenticate(
        client, pool_id=pool_id, client_id=client_id, username="ida@example.com", password=PASSWORD
    )
    assert result.signed_in and result.username == "ida"
    client.admin_update_user_attributes(
        UserPoolId=pool_id, Username="ida", UserAttributes=[{"Name": "email", "Value": "i@x.org"}]
    )
    assert attributes_of(client, pool_id, "ida")["email_verified"] == "false"
    assert error_of(
        client.admin_update_user_attributes,
        UserPoolId=pool_id,
        Username="nobody",
        UserAttributes=[],
    ) == ("UserNotFoundException", "User does not exist.")


def test_admin_list_groups_for_user(server: Server) -> None:
    """AdminListGroupsForUser: no groups exist, so a user's list is empty; an unknown user is refused."""
    _, client, _ = server
    pool_id, _, _ = make_pool(client)
    add_user(client, pool_id, "gus")
    assert client.admin_list_groups_for_user(UserPoolId=pool_id, Username="gus")["Groups"] == []
    assert error_of(client.admin_list_groups_for_user, UserPoolId=pool_id, Username="x") == (
        "UserNotFoundException",
        "User does not exist.",
    )
