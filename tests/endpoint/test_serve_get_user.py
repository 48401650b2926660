"""GetUser on `srpkit serve`, driven by real clients: boto3 and pycognito 2024.5.1 as shipped."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito

from tests.serve_support import PASSWORD, add_user, make_pool, running


@pytest.mark.usefixtures("srp_backend")
def test_pycognito_get_user_after_srp_sign_in() -> None:
    """pycognito signs in over SRP, then get_user returns the user's own attributes via GetUser."""
    with running() as (handle, client, _):
        pool_id, client_id, _ = make_pool(client)
        add_user(client, pool_id, "ann", email="ann@example.com")
        kwargs = {
            "endpoint_url": handle.url,
            "region_name": "us-east-1",
            "aws_access_key_id": "x",
            "aws_secret_access_key": "x",
        }
        user = Cognito(
            pool_id, client_id, username="ann", botocore_config=None, boto3_client_kwargs=kwargs
        )
        user.authenticate(password=PASSWORD)
        got = client.get_user(AccessToken=user.access_token)
        assert got["Username"] == "ann"
        names = {a["Name"]: a["Value"] for a in got["UserAttributes"]}
        assert names["email"] == "ann@example.com" and "sub" in names


def test_get_user_refuses_a_token_that_is_not_an_access_token() -> None:
    """GetUser answers NotAuthorizedException (not a crash) to an AccessToken that is no JWT."""
    with running() as (_handle, client, _):
        pool_id, _client_id, _ = make_pool(client)
        add_user(client, pool_id, "ann")
        for token in ("not-a-jwt", "a.b.c"):
            with pytest.raises(ClientError) as caught:
                client.get_user(AccessToken=token)
            assert caught.value.response["Error"]["Code"] == "NotAuthorizedException"
