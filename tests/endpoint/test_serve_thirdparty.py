"""`srpkit serve` against third-party clients as they ship: pycognito and warrant-lite, unpatched.

These clients send RespondToAuthChallenge without a Session and hash SALT as
the string they get, as real Cognito lets them; a server that asks for a
Session back or prints a salt with a redundant "00" fails them, and only a test
with them shows it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

import jwt
import pytest
import requests
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.aws_srp import AWSSRP
from pycognito.utils import RequestsSrpAuth
from serve_support import BOTO_CONFIG, PASSWORD, add_user, make_pool, running, salt_drawn_as

# Every test here runs SRP arithmetic: under both backends.
pytestmark = pytest.mark.usefixtures("srp_backend")

IN_CI = os.environ.get("CI") == "true"
REGION = "us-east-1"  # boto_client's: the region srpkit serve names its pools by
USERNAME = "ann"
FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})


@dataclass(frozen=True)
class App:
    """An app client: its id and its secret (None: the client has none)."""

    client_id: str
    secret: str | None


@dataclass(frozen=True)
class Pool:
    """One pool on the module's server, its boto3 client and three app clients."""

    url: str
    client: Any
    pool_id: str
    plain: App
    with_secret: App
    other: App  # a second client without a secret: a sign-in started at one is not the other's

    def boto3_kwargs(self) -> dict[str, Any]:
        """Fresh keyword arguments for boto3.client (pycognito adds to the dict it gets)."""
        return {
            "endpoint_url": self.url,
            "region_name": REGION,
            "aws_access_key_id": "x",
            "aws_secret_access_key": "x",
            "config": BOTO_CONFIG,
        }


@pytest.fixture(scope="module")
def pool() -> Iterator[Pool]:
    """One in-process `srpkit serve` with a pool, the user ann, and app clients with and without a secret."""
    with running() as (handle, client, _):
        pool_id, plain_id, _ = make_pool(client, flows=FLOWS)

        def new_app(secret: bool) -> App:
            made = client.create_user_pool_client(
                UserPoolId=pool_id, ClientName="app", GenerateSecret=secret, ExplicitAuthFlows=FLOWS
            )["UserPoolClient"]
            return App(made["ClientId"], made.get("ClientSecret"))

        add_user(client, pool_id, USERNAME)
        yield Pool(
            handle.url,
            client,
            pool_id,
            plain=App(plain_id, None),
            with_secret=new_app(True),
            other=new_app(False),
        )


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """In this process, refuse to resolve any host but loopback: a stray fetch from AWS (JWKS) fails."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name not in _LOOPBACK:
            raise OSError(f"this test may reach loopback only, not {name!r}")
        return real(host, *args, **kwargs)

    # urllib3 (boto3, requests) and urllib look the host up through socket.getaddrinfo
    # even for an address literal, so every connection they open passes here.
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(scope="session")
def en_us_locale(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private en_US.UTF-8 locale, for LOCPATH: warrant-lite sets it to format TIMESTAMP."""

    def unavailable(reason: str) -> NoReturn:
        message = f"warrant-lite needs an en_US.UTF-8 locale: {reason}"
        if IN_CI:
            pytest.fail(message + " (CI must run the warrant-lite tests)")
        pytest.skip(message)

    localedef = shutil.which("localedef")
    if localedef is None:
        unavailable("localedef (glibc's, with the sources in /usr/share/i18n) is not installed")
    root = tmp_path_factory.mktemp("locale")
    target = root / "en_US.UTF-8"
    built = subprocess.run(
        [str(localedef), "-i", "en_US", "-f", "UTF-8", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    # Exit status 1 means warnings only: the locale is written all the same.
    if built.returncode not in (0, 1) or not (target / "LC_TIME").exists():
        unavailable(f"localedef failed ({built.returncode}): {built.stderr.strip()}")
    return root


# -- the clients, each signing in as it ships -------------------------------------------
SignIn = Callable[[Pool, App, str], dict[str, Any]]


def with_cognito(pool: Pool, app: App, password: str) -> dict[str, Any]:
    """pycognito's Cognito.authenticate; the id and access tokens it verified."""
    # Given endpoint_url, Cognito takes "<endpoint_url>/<pool id>" as the issuer and
    # fetches the JWKS under it, so its own token checks run against this server.
    cognito = Cognito(
        pool.pool_id,
        app.client_id,
        username=USERNAME,
        client_secret=app.secret,
        boto3_client_kwargs=pool.boto3_kwargs(),
    )
    assert cognito.user_pool_url == f"{pool.url}/{pool.pool_id}"
    cognito.authenticate(password=password)
    return {"IdToken": cognito.id_token, "AccessToken": cognito.access_token}


def with_awssrp(pool: Pool, app: App, password: str) -> dict[str, Any]:
    """pycognito's AWSSRP.authenticate_user over the module's boto3 client."""
    srp = AWSSRP(
        USERNAME,
        password,
        pool.pool_id,
        app.client_id,
        client=pool.client,
        client_secret=app.secret,
    )
    return dict(srp.authenticate_user()["AuthenticationResult"])


def with_requests_auth(pool: Pool, app: App, password: str) -> dict[str, Any]:
    """pycognito's RequestsSrpAuth, signing in as it adds the Authorization header to a request."""
    if app.secret is None:
        # Its documented form, which builds the Cognito itself (and has no client secret).
        auth = RequestsSrpAuth(
            username=USERNAME,
            password=password,
            user_pool_id=pool.pool_id,
            client_id=app.client_id,
            boto3_client_kwargs=pool.boto3_kwargs(),
        )
    else:
        cognito = Cognito(
            pool.pool_id,
            app.client_id,
            username=USERNAME,
            client_secret=app.secret,
            boto3_client_kwargs=pool.boto3_kwargs(),
        )
        auth = RequestsSrpAuth(password=password, cognito=cognito)
    header = requests.Request("GET", pool.url, auth=auth).prepare().headers["Authorization"]
    assert header.startswith("Bearer ")
    return {"IdToken": auth.cognito_client.id_token, "AccessToken": header[len("Bearer ") :]}


# warrant-lite formats TIMESTAMP inside locale.setlocale(LC_ALL, ("en_US", "UTF-8")), which
# changes the whole process (and is restored from getlocale(), which reads LC_CTYPE only),
# so it runs in a child, where the C library also finds the private locale through LOCPATH.
_WARRANT_LITE = """
import json, sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from warrant_lite import WarrantLite

args = json.load(sys.stdin)
client = boto3.client(
    "cognito-idp", endpoint_url=args["url"], region_name=args["region"],
    aws_access_key_id="x", aws_secret_access_key="x",
    config=Config(retries={"total_max_attempts": 1}),
)
try:
    tokens = WarrantLite(
        username=args["username"], password=args["password"], pool_id=args["pool_id"],
        client_id=args["client_id"], client=client, client_secret=args["client_secret"],
    ).authenticate_user()
except ClientError as exc:
    print(json.dumps({"error": exc.response["Error"], "operation": exc.operation_name}))
else:
    print(json.dumps({"result": tokens["AuthenticationResult"]}))
"""


def with_warrant_lite(locale_path: Path, pool: Pool, app: App, password: str) -> dict[str, Any]:
    """warrant-lite's authenticate_user in a child process with the private en_US.UTF-8."""
    env = {
        **os.environ,
        "LOCPATH": str(locale_path),
        "LANG": "en_US.UTF-8",
        "LC_ALL": "en_US.UTF-8",
    }
    args = {
        "url": pool.url,
        "region": REGION,
        "pool_id": pool.pool_id,
        "client_id": app.client_id,
        "client_secret": app.secret,
        "username": USERNAME,
        "password": password,  # on stdin: argv is readable by every process on the machine
    }
    child = subprocess.run(
        [sys.executable, "-c", _WARRANT_LITE],
        input=json.dumps(args),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    out = json.loads(child.stdout)
    if "error" in out:
        raise ClientError({"Error": out["error"]}, out["operation"])
    return dict(out["result"])


CLIENTS: dict[str, SignIn] = {
    "pycognito Cognito": with_cognito,
    "pycognito AWSSRP": with_awssrp,
    "pycognito RequestsSrpAuth": with_requests_auth,
}


@pytest.fixture(params=[*CLIENTS, "warrant-lite"])
def sign_in(request: pytest.FixtureRequest) -> SignIn:
    """One third-party client's sign-in: (pool, app client, password) -> AuthenticationResult."""
    if request.param == "warrant-lite":
        return partial(with_warrant_lite, request.getfixturevalue("en_us_locale"))
    return CLIENTS[request.param]


def claims(pool: Pool, token: str, token_use: str) -> dict[str, Any]:
    """A token's claims, its signature checked with PyJWT against the pool's JWKS."""
    jwks = jwt.PyJWKClient(f"{pool.url}/{pool.pool_id}/.well-known/jwks.json")
    found = jwt.decode(
        token,
        jwks.get_signing_key_from_jwt(token).key,
        algorithms=["RS256"],
        issuer=f"{pool.url}/{pool.pool_id}",
        options={"verify_aud": False},
    )
    assert found["token_use"] == token_use
    return dict(found)


def assert_signed_in(pool: Pool, app: App, result: dict[str, Any]) -> None:
    """The id and access tokens are the pool's, for ann, issued to ``app``."""
    id_claims = claims(pool, result["IdToken"], "id")
    assert id_claims["cognito:username"] == USERNAME and id_claims["aud"] == app.client_id
    access = claims(pool, result["AccessToken"], "access")
    assert access["username"] == USERNAME and access["client_id"] == app.client_id
    assert "device_key" not in access


def refusal(caught: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    """The error code and message of a refused call."""
    error = caught.value.response["Error"]
    return error["Code"], error["Message"]


# -- signing in -----------------------------------------------------------------------------
@pytest.mark.parametrize("secret", [False, True], ids=["no client secret", "client secret"])
def test_signs_in(pool: Pool, sign_in: SignIn, secret: bool) -> None:
    """Each client as it ships signs in, with and without a client secret, to tokens the JWKS verifies."""
    app = pool.with_secret if secret else pool.plain
    assert (app.secret is not None) == secret
    assert_signed_in(pool, app, sign_in(pool, app, PASSWORD))


def test_wrong_password_refused(pool: Pool, sign_in: SignIn) -> None:
    """Each client with a wrong password is refused with NotAuthorizedException at the answer."""
    with pytest.raises(ClientError) as caught:
        sign_in(pool, pool.with_secret, PASSWORD + "!")
    assert refusal(caught) == ("NotAuthorizedException", "Incorrect username or password.")
    assert caught.value.operation_name == "RespondToAuthChallenge"


# -- PASSWORD_VERIFIER without a Session ----------------------------------------------------
def call(url: str, operation: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """POST one raw JSON 1.1 call (JSON as sent, unlike boto3's) -> (HTTP status, JSON body)."""
    request = urllib.request.Request(
        url + "/",
        data=json.dumps(body).encode(),
        headers={
            "X-Amz-Target": f"AWSCognitoIdentityProviderService.{operation}",
            "Content-Type": "application/x-amz-json-1.1",
        },
        method="POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


def challenged(pool: Pool, app: App) -> tuple[AWSSRP, dict[str, str], dict[str, Any]]:
    """pycognito's client, its AuthParameters and the raw InitiateAuth response they got."""
    srp = AWSSRP(USERNAME, PASSWORD, pool.pool_id, app.client_id, client=object())
    params = srp.get_auth_params()
    status, response = call(
        pool.url,
        "InitiateAuth",
        {"AuthFlow": "USER_SRP_AUTH", "ClientId": app.client_id, "AuthParameters": params},
    )
    assert status == 200, response
    return srp, params, response


def right_answer(pool: Pool, app: App) -> dict[str, str]:
    """pycognito's right ChallengeResponses to a fresh PASSWORD_VERIFIER challenge."""
    srp, params, response = challenged(pool, app)
    return dict(srp.process_challenge(response["ChallengeParameters"], params))


def answer(pool: Pool, app: App, responses: dict[str, str], **body: Any) -> dict[str, Any]:
    """RespondToAuthChallenge PASSWORD_VERIFIER through boto3, as pycognito sends it."""
    return dict(
        pool.client.respond_to_auth_challenge(
            ClientId=app.client_id,
            ChallengeName="PASSWORD_VERIFIER",
            ChallengeResponses=responses,
            **body,
        )
    )


def test_password_verifier_has_no_session(pool: Pool) -> None:
    """PASSWORD_VERIFIER comes without a Session key at all, as Cognito sends it, and is answered without one."""
    srp, params, response = challenged(pool, pool.plain)
    assert response["ChallengeName"] == "PASSWORD_VERIFIER"
    assert "Session" not in response
    responses = srp.process_challenge(response["ChallengeParameters"], params)
    assert_signed_in(pool, pool.plain, answer(pool, pool.plain, responses)["AuthenticationResult"])


def test_wrong_session_refused(pool: Pool) -> None:
    """A right answer carrying a Session that no challenge issued is refused, and ends that sign-in."""
    responses = right_answer(pool, pool.plain)
    with pytest.raises(ClientError) as caught:
        answer(pool, pool.plain, responses, Session="not-a-session-" * 4)
    assert refusal(caught) == ("NotAuthorizedException", "Invalid session for the user.")
    with pytest.raises(ClientError) as caught:
        answer(pool, pool.plain, responses)
    assert refusal(caught) == ("NotAuthorizedException", "Invalid session for the user.")


def test_secret_block_answers_once(pool: Pool) -> None:
    """An answer that signed in cannot be replayed: its SECRET_BLOCK serves one answer."""
    responses = right_answer(pool, pool.plain)
    assert_signed_in(pool, pool.plain, answer(pool, pool.plain, responses)["AuthenticationResult"])
    with pytest.raises(ClientError) as caught:
        answer(pool, pool.plain, responses)
    assert refusal(caught) == ("NotAuthorizedException", "Invalid session for the user.")


def test_other_clients_secret_block_refused(pool: Pool) -> None:
    """A right answer to a challenge one app client issued is refused through another client id."""
    responses = right_answer(pool, pool.plain)
    with pytest.raises(ClientError) as caught:
        answer(pool, pool.other, responses)
    assert refusal(caught) == ("NotAuthorizedException", "Invalid session for the user.")


def test_null_device_key_is_absent(pool: Pool) -> None:
    """DEVICE_KEY null at both steps (as amazon-cognito-identity-js sends without a device) counts as absent."""
    srp = AWSSRP(USERNAME, PASSWORD, pool.pool_id, pool.plain.client_id, client=object())
    params = srp.get_auth_params()
    status, response = call(
        pool.url,
        "InitiateAuth",
        {
            "AuthFlow": "USER_SRP_AUTH",
            "ClientId": pool.plain.client_id,
            "AuthParameters": {**params, "DEVICE_KEY": None},
        },
    )
    assert status == 200, response
    assert response["ChallengeName"] == "PASSWORD_VERIFIER"
    responses = srp.process_challenge(response["ChallengeParameters"], params)
    status, response = call(
        pool.url,
        "RespondToAuthChallenge",
        {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ClientId": pool.plain.client_id,
            "ChallengeResponses": {**responses, "DEVICE_KEY": None},
        },
    )
    assert status == 200, response
    assert_signed_in(pool, pool.plain, response["AuthenticationResult"])


# -- salts of every shape -------------------------------------------------------------------
# A user's 16 random salt bytes, one of each shape the printed SALT can take. pycognito
# hashes SALT as the string it gets (adding "0" to an odd length, "00" before a high first
# digit), the official clients as padHex(new BigInteger(SALT, 16)); they agree on minimal
# hex, and srpkit serve used to print a zero first byte before one < 0x80 as a redundant
# "00", with which pycognito could never sign in.
SALTS = {
    "odd length": "0a" + "5c" * 15,
    "even, top bit set": "c3" + "5c" * 15,
    "even, top bit clear": "3c" + "5c" * 15,
    "zero byte, then top bit clear": "004d" + "5c" * 14,
    "zero byte, then top bit set": "009e" + "5c" * 14,
}


@pytest.mark.parametrize("raw", list(SALTS.values()), ids=list(SALTS))
def test_salt_of_every_shape_signs_in_with_pycognito(pool: Pool, raw: str) -> None:
    """A user whose stored salt has any shape signs in with pycognito, sent SALT as minimal hex."""
    username = f"salt-{secrets.token_hex(4)}"  # the pool outlives one backend's run
    with salt_drawn_as(bytes.fromhex(raw)):
        add_user(pool.client, pool.pool_id, username)
    sent: list[dict[str, Any]] = []

    class Tap:
        """The boto3 client, keeping each InitiateAuth response."""

        def initiate_auth(self, **body: Any) -> Any:
            sent.append(pool.client.initiate_auth(**body))
            return sent[-1]

        def respond_to_auth_challenge(self, **body: Any) -> Any:
            return pool.client.respond_to_auth_challenge(**body)

    srp = AWSSRP(username, PASSWORD, pool.pool_id, pool.plain.client_id, client=Tap())
    tokens = srp.authenticate_user()["AuthenticationResult"]
    assert [r["ChallengeParameters"]["SALT"] for r in sent] == [format(int(raw, 16), "x")]
    assert claims(pool, tokens["AccessToken"], "access")["username"] == username
