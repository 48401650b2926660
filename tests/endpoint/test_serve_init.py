"""`srpkit serve --init FILE`'s reader and loader: pools, clients and users made from a checked file.

Every refusal is an InitFileError naming the file and the field, never a value from it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from botocore.exceptions import ClientError

from srpkit.aws import authenticate
from srpkit.endpoint.http import serve_in_thread
from srpkit.endpoint.init_file import InitFileError, apply_init, read_init_file
from srpkit.endpoint.service import CognitoService
from tests.serve_support import boto_client

POOL_ID = "us-east-1_Init0001"
CLIENT_ID = "init0client0id0000000000a1"
SECRET = "fixed-client-secret-0123456789"
USER_PASSWORD = "Init-Passw0rd!"

FULL: dict[str, Any] = {
    "pools": [
        {
            "name": "initpool",
            "id": POOL_ID,
            "alias_attributes": ["email"],
            "case_sensitive": False,
            "password_policy": {"MinimumLength": 10, "RequireSymbols": True},
            "device_configuration": {
                "ChallengeRequiredOnNewDevice": True,
                "DeviceOnlyRememberedOnUserPrompt": False,
            },
            "clients": [
                {
                    "name": "web",
                    "id": CLIENT_ID,
                    "secret": SECRET,
                    "explicit_auth_flows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
                    "prevent_user_existence_errors": "ENABLED",
                    "access_token_minutes": 30,
                },
                {"name": "cli"},
            ],
            "users": [
                {
                    "username": "alice",
                    "password": USER_PASSWORD,
                    "attributes": {"email": "alice@example.com", "email_verified": "true"},
                }
            ],
        },
        {"name": "bare"},
    ]
}


def write(tmp_path: Path, document: object, name: str = "init.json", mode: int = 0o600) -> Path:
    """The document written to a file of ``mode``."""
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    path.chmod(mode)
    return path


@pytest.mark.usefixtures("srp_backend")
def test_a_full_file_makes_pools_clients_and_users(tmp_path: Path) -> None:
    """Pools (with settings), a client with a fixed id and secret, and a user who signs in."""
    spec = read_init_file(write(tmp_path, FULL))
    with serve_in_thread() as handle:
        made = apply_init(handle.service, spec)
        client = boto_client(handle.url)
        assert made[0].id == POOL_ID and made[1].id.startswith("us-east-1_")
        assert made[0].clients[0] == ("web", CLIENT_ID, True)
        assert made[0].clients[1][0] == "cli" and made[0].clients[1][2] is False
        assert made[0].users == ["alice"]
        pool = client.describe_user_pool(UserPoolId=POOL_ID)["UserPool"]
        assert pool["AliasAttributes"] == ["email"]
        assert pool["UsernameConfiguration"] == {"CaseSensitive": False}
        assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] == 10
        assert pool["DeviceConfiguration"]["ChallengeRequiredOnNewDevice"] is True
        app = client.describe_user_pool_client(UserPoolId=POOL_ID, ClientId=CLIENT_ID)
        app = app["UserPoolClient"]
        assert app["ClientSecret"] == SECRET and app["AccessTokenValidity"] == 30
        assert app["PreventUserExistenceErrors"] == "ENABLED"
        # Case-insensitive, by the verified email alias, with the client's secret.
        result = authenticate(
            client,
            pool_id=POOL_ID,
            client_id=CLIENT_ID,
            username="ALICE@example.com",
            password=USER_PASSWORD,
            client_secret=SECRET,
        )
        assert result.signed_in and result.username == "alice"
        # Again (a restart on a --state file): what exists is left alone, no error.
        again = apply_init(handle.service, read_init_file(write(tmp_path, FULL)))
        assert again[0].existed and again[0].clients[0] == ("web", CLIENT_ID, True)


def test_a_generated_secret_is_made_and_not_in_the_spec(tmp_path: Path) -> None:
    """``secret: true`` generates a client secret; the file then holds no secret (0644 is fine)."""
    document = {"pools": [{"name": "p", "clients": [{"name": "c", "secret": True}]}]}
    spec = read_init_file(write(tmp_path, document, mode=0o644))
    assert not spec.holds_secrets
    service = CognitoService()
    made = apply_init(service, spec)
    assert made[0].clients[0][2] is True


@pytest.mark.parametrize(
    ("document", "field", "reason"),
    [
        ([], "the file", "expected an object"),
        ({"pool": []}, "pool", "unknown field"),
        ({"pools": {}}, "pools", "expected a list"),
        ({"pools": [{}]}, "pools[0].name", "required"),
        ({"pools": [{"name": 3}]}, "pools[0].name", "expected a string"),
        ({"pools": [{"name": "p", "colour": 1}]}, "pools[0].colour", "unknown field"),
        (
            {"pools": [{"name": "p", "alias_attributes": ["sub"]}]},
            "pools[0].alias_attributes[0]",
            "not one of",
        ),
        (
            {"pools": [{"name": "p", "case_sensitive": "no"}]},
            "pools[0].case_sensitive",
            "true or false",
        ),
        (
            {"pools": [{"name": "p", "password_policy": {"MinimumLength": 5}}]},
            "pools[0].password_policy.MinimumLength",
            "from 6 to 99",
        ),
        (
            {"pools": [{"name": "p", "device_configuration": {"Always": True}}]},
            "pools[0].device_configuration.Always",
            "unknown field",
        ),
        (
            {"pools": [{"name": "p", "clients": [{"name": "c", "secret": 7}]}]},
            "pools[0].clients[0].secret",
            "expected true",
        ),
        (
            {
                "pools": [
                    {
                        "name": "p",
                        "clients": [{"name": "c", "explicit_auth_flows": ["USER_SRP_AUTH"]}],
                    }
                ]
            },
            "pools[0].clients[0].explicit_auth_flows[0]",
            "not one of",
        ),
        (
            {"pools": [{"name": "p", "clients": [{"name": "c", "access_token_minutes": 2}]}]},
            "pools[0].clients[0].access_token_minutes",
            "from 5 to 1440",
        ),
        (
            {"pools": [{"name": "p", "users": [{"username": "u"}]}]},
            "pools[0].users[0].password",
            "required",
        ),
        (
            {
                "pools": [
                    {
                        "name": "p",
                        "users": [{"username": "u", "password": "x", "attributes": {"team": "a"}}],
                    }
                ]
            },
            "pools[0].users[0].attributes.team",
            "not a standard attribute",
        ),
    ],
)
def test_a_bad_field_is_named(tmp_path: Path, document: object, field: str, reason: str) -> None:
    """Each wrong field is an InitFileError naming the file and the field (its path in the document)."""
    path = write(tmp_path, document)
    with pytest.raises(InitFileError) as caught:
        read_init_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {field}: ") and reason in message


def test_what_the_pool_refuses_is_named_without_the_password(tmp_path: Path) -> None:
    """A password the pool's policy refuses, or a bad fixed id, names the field but not the value."""
    weak = "weakpassword"
    document = {"pools": [{"name": "p", "users": [{"username": "u", "password": weak}]}]}
    with pytest.raises(InitFileError) as caught:
        apply_init(CognitoService(), read_init_file(write(tmp_path, document)))
    message = str(caught.value)
    assert "pools[0].users[0]: Password did not conform with policy" in message
    assert weak not in message and caught.value.__context__ is None
    document = {"pools": [{"name": "p", "clients": [{"name": "c", "id": "bad id!"}]}]}
    with pytest.raises(InitFileError, match=r"pools\[0\]\.clients\[0\]: "):
        apply_init(CognitoService(), read_init_file(write(tmp_path, document)))


def test_unsafe_or_unreadable_files_are_refused(tmp_path: Path) -> None:
    """Secrets in a file others may read, a file others may write, a FIFO, bad JSON: each refused."""
    with pytest.raises(InitFileError, match=r"readable by others .*chmod 600"):
        read_init_file(write(tmp_path, FULL, mode=0o644))
    bare = {"pools": [{"name": "p"}]}
    assert read_init_file(write(tmp_path, bare, mode=0o644)).pools[0].name == "p"
    with pytest.raises(InitFileError, match="writable by others"):
        read_init_file(write(tmp_path, bare, mode=0o664))
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(InitFileError, match="not a regular file"):
        read_init_file(fifo)  # returns at once: nothing is written to the FIFO
    with pytest.raises(InitFileError, match=r"not valid JSON \(.*line 1") as caught:
        read_init_file(write(tmp_path, '{"pools": [{"password": "Secret-1"', name="broken.json"))
    assert caught.value.__context__ is None  # json's error holds the whole text
    with pytest.raises(InitFileError, match="cannot read"):
        read_init_file(tmp_path / "missing.json")


def test_yaml_when_pyyaml_is_installed(tmp_path: Path) -> None:
    """A .yaml file is read with PyYAML; without PyYAML the error says to install it or use JSON."""
    pytest.importorskip("yaml")
    text = "pools:\n  - name: ypool\n    clients:\n      - name: yc\n"
    spec = read_init_file(write(tmp_path, text, name="init.yaml"))
    assert spec.pools[0].name == "ypool" and spec.pools[0].clients[0].name == "yc"
    with pytest.raises(InitFileError, match=r"bad\.yml: not valid YAML at line [0-9]+$"):
        read_init_file(write(tmp_path, "pools:\n  - name: [\n", name="bad.yml"))
    with (
        mock.patch("importlib.import_module", side_effect=ImportError),
        pytest.raises(InitFileError, match="YAML needs PyYAML"),
    ):
        read_init_file(write(tmp_path, text, name="init.yaml"))


# CreateUserPoolClient's own token members, as an init file's client may carry them.
TOKEN_SETTINGS: dict[str, Any] = {
    "AccessTokenValidity": 2,
    "IdTokenValidity": 30,
    "RefreshTokenValidity": 12,
    "TokenValidityUnits": {"AccessToken": "hours", "IdToken": "minutes", "RefreshToken": "hours"},
    "RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 10},
}
ROTATING_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


def one_client(**entry: Any) -> dict[str, Any]:
    """An init document of one pool with one client ``entry`` (and its name)."""
    return {"pools": [{"name": "p", "clients": [{"name": "c", **entry}]}]}


def test_token_settings_are_set_as_create_user_pool_client_sets_them(tmp_path: Path) -> None:
    """Each token member of a client entry is read back by DescribeUserPoolClient as the API's own client's."""
    document = {
        "pools": [
            {
                "name": "p",
                "id": POOL_ID,
                "clients": [{"name": "c", "id": CLIENT_ID, **TOKEN_SETTINGS}, {"name": "plain"}],
            }
        ]
    }
    spec = read_init_file(write(tmp_path, document))
    with serve_in_thread() as handle:
        apply_init(handle.service, spec)
        client = boto_client(handle.url)
        made = client.describe_user_pool_client(UserPoolId=POOL_ID, ClientId=CLIENT_ID)
        made = made["UserPoolClient"]
        assert (made["AccessTokenValidity"], made["TokenValidityUnits"]["AccessToken"]) in {
            (2, "hours"),
            (120, "minutes"),
        }
        assert made["IdTokenValidity"] == 30
        assert made["TokenValidityUnits"]["IdToken"] == "minutes"
        assert made["RefreshTokenValidity"] == 12
        assert made["TokenValidityUnits"]["RefreshToken"] == "hours"
        assert made["RefreshTokenRotation"] == TOKEN_SETTINGS["RefreshTokenRotation"]
        # The same members sent to CreateUserPoolClient: the same client, but for ids and dates.
        api = client.create_user_pool_client(UserPoolId=POOL_ID, ClientName="c", **TOKEN_SETTINGS)
        same = ("ClientId", "CreationDate", "LastModifiedDate")
        assert {k: v for k, v in made.items() if k not in same} == {
            k: v for k, v in api["UserPoolClient"].items() if k not in same
        }
        # A client that sets none keeps CreateUserPoolClient's defaults: 1 hour, 1 hour, 30 days.
        plain_id = next(
            c["ClientId"]
            for c in client.list_user_pool_clients(UserPoolId=POOL_ID)["UserPoolClients"]
            if c["ClientName"] == "plain"
        )
        plain = client.describe_user_pool_client(UserPoolId=POOL_ID, ClientId=plain_id)
        plain = plain["UserPoolClient"]
        assert (plain["RefreshTokenValidity"], plain["TokenValidityUnits"]["RefreshToken"]) == (
            30,
            "days",
        )
        assert "RefreshTokenRotation" not in plain


@pytest.mark.usefixtures("srp_backend")
def test_rotation_from_the_init_file_rotates_refresh_tokens(tmp_path: Path) -> None:
    """With RefreshTokenRotation ENABLED from the file, GetTokensFromRefreshToken hands out a new refresh token."""
    rotation = {"Feature": "ENABLED", "RetryGracePeriodSeconds": 0}
    document = {
        "pools": [
            {
                "name": "p",
                "id": POOL_ID,
                "clients": [
                    {
                        "name": "c",
                        "id": CLIENT_ID,
                        "explicit_auth_flows": ROTATING_FLOWS,
                        "AccessTokenValidity": 10,
                        "TokenValidityUnits": {"AccessToken": "minutes"},
                        "RefreshTokenRotation": rotation,
                    }
                ],
                "users": [{"username": "alice", "password": USER_PASSWORD}],
            }
        ]
    }
    spec = read_init_file(write(tmp_path, document))
    with serve_in_thread() as handle:
        apply_init(handle.service, spec)
        client = boto_client(handle.url)
        signed = client.initiate_auth(
            ClientId=CLIENT_ID,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": USER_PASSWORD},
        )["AuthenticationResult"]
        assert signed["ExpiresIn"] == 600  # the file's AccessTokenValidity reached the tokens
        renewed = client.get_tokens_from_refresh_token(
            ClientId=CLIENT_ID, RefreshToken=signed["RefreshToken"]
        )["AuthenticationResult"]
        assert renewed["RefreshToken"]
        assert renewed["RefreshToken"] != signed["RefreshToken"]
        # Rotation is on: the refresh that keeps the token is refused, as Cognito refuses it.
        with pytest.raises(ClientError) as caught:
            client.initiate_auth(
                ClientId=CLIENT_ID,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": renewed["RefreshToken"]},
            )
        assert caught.value.response["Error"]["Code"] == "InvalidParameterException"


@pytest.mark.parametrize(
    ("entry", "field", "reason"),
    [
        (
            {"AccessTokenValidity": 2, "TokenValidityUnits": {"AccessToken": "minutes"}},
            "AccessTokenValidity",
            "must be between 5 minutes and 1 day",
        ),
        ({"IdTokenValidity": 0}, "IdTokenValidity", "must be between 1 and 86400"),
        ({"RefreshTokenValidity": "30"}, "RefreshTokenValidity", "expected an integer"),
        (
            {"RefreshTokenValidity": 3651},
            "RefreshTokenValidity",
            "must be between 60 minutes and 10 years",
        ),
        (
            {"TokenValidityUnits": {"IdToken": "weeks"}},
            "TokenValidityUnits.IdToken",
            "one of seconds, minutes, hours, days",
        ),
        (
            {"TokenValidityUnits": {"Refresh": "days"}},
            "TokenValidityUnits.Refresh",
            "unknown field (known: AccessToken, IdToken, RefreshToken)",
        ),
        ({"TokenValidityUnits": "days"}, "TokenValidityUnits", "expected an object"),
        (
            {"RefreshTokenRotation": {"Feature": "ON"}},
            "RefreshTokenRotation.Feature",
            "ENABLED or DISABLED",
        ),
        (
            {"RefreshTokenRotation": {"Feature": "ENABLED", "RetryGracePeriodSeconds": 61}},
            "RefreshTokenRotation.RetryGracePeriodSeconds",
            "must be between 0 and 60",
        ),
        (
            {"RefreshTokenRotation": {"Feature": "ENABLED", "Grace": 5}},
            "RefreshTokenRotation.Grace",
            "unknown field (known: Feature, RetryGracePeriodSeconds)",
        ),
        (
            {"access_token_minutes": 30, "AccessTokenValidity": 1},
            "AccessTokenValidity",
            "give AccessTokenValidity or access_token_minutes, not both",
        ),
    ],
)
def test_a_bad_token_setting_is_named(
    tmp_path: Path, entry: dict[str, Any], field: str, reason: str
) -> None:
    """A token member CreateUserPoolClient would refuse is an InitFileError naming its path in the file."""
    path = write(tmp_path, one_client(**entry))
    with pytest.raises(InitFileError) as caught:
        read_init_file(path)
    assert str(caught.value) == f"{path}: pools[0].clients[0].{field}: {reason}"
    assert caught.value.fields == (f"pools[0].clients[0].{field}",)
    assert caught.value.__context__ is None
