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
