"""Whole sign-ins through boto3 (Stubber, no network) against a fake Cognito that checks every proof.

The fake server's SRP is tests/reference/cognito_srp.py (server side: S = (A v^u)^b),
sharing no code with srpkit, so a wrong verifier, a reused a, a missing DEVICE_KEY,
Session or SECRET_HASH, or a bad signature fails the sign-in as it would at Cognito.
As measured at Cognito (ministackorg/ministack#1758), PASSWORD_VERIFIER is asked
without a Session and its answer is found by its SECRET_BLOCK; the other steps
carry a Session.
"""

from __future__ import annotations

import base64
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from reference import cognito_srp as ref

import srpkit
from srpkit import DeviceSecret, UserSRP

# Every test here runs SRP arithmetic: under both backends.
pytestmark = pytest.mark.usefixtures("srp_backend")

POOL = "us-east-1_FlowPool7"
CLIENT = "7flowclient0123456789abcde"
CLIENT_SECRET = "flow-client-secret-0123456789"
NOW = datetime(2024, 2, 29, 12, 0, 1, tzinfo=timezone.utc)


def expected_secret_hash(username: str) -> str:
    """SECRET_HASH as the server recomputes it."""
    return ref.secret_hash(username, CLIENT, CLIENT_SECRET)


class RefusedError(AssertionError):
    """The fake server refused a request (NotAuthorized at the real service)."""


@dataclass
class Pending:
    """Server state between a challenge and its answer."""

    kind: str
    b: int = 0
    big_a: int = 0
    verifier: int = 0
    realm: str = ""
    user_id: str = ""
    block: bytes = b""
    srp_as: list[str] = field(default_factory=list)


class FakeCognito:
    """One user pool with one user; answers InitiateAuth / RespondToAuthChallenge / ConfirmDevice."""

    def __init__(self, username: str, user_id: str, password: str, *, secret: bool) -> None:
        self.username, self.user_id, self.secret = username, user_id, secret
        self.salt = secrets.randbits(128)
        self.verifier = ref.verifier(
            ref.private_x(self.salt, ref.pool_name(POOL), user_id, password)
        )
        self.devices: dict[str, tuple[str, int, bytes]] = {}  # key -> (group, verifier, salt)
        self.groups: dict[str, str] = {}  # device keys issued -> their group keys
        self.pending: dict[str, Pending] = {}
        self.seen_a: set[str] = set()
        self.device_mode = "custom"

    # ------------------------------------------------ helpers
    def _session(self, state: Pending) -> str:
        token = "sess-" + secrets.token_urlsafe(24)
        self.pending[token] = state
        return token

    def _take(self, body: dict[str, Any], kind: str) -> Pending:
        # Cognito finds a PASSWORD_VERIFIER answer by the SECRET_BLOCK it issued.
        block = body["ChallengeResponses"].get("PASSWORD_CLAIM_SECRET_BLOCK", "")
        key = "block:" + block if kind == "PASSWORD_VERIFIER" else body.get("Session", "")
        if kind == "PASSWORD_VERIFIER" and "Session" in body:
            raise RefusedError("PASSWORD_VERIFIER was asked without a Session; none comes back")
        state = self.pending.pop(key, None)
        if state is None or state.kind != kind:
            raise RefusedError(f"{kind}: no or wrong Session")
        return state

    def _check_secret_hash(self, params: dict[str, str]) -> None:
        if self.secret and params.get("SECRET_HASH") != expected_secret_hash(params["USERNAME"]):
            raise RefusedError("SECRET_HASH missing or wrong")

    def _srp_challenge(
        self,
        kind: str,
        params: dict[str, str],
        verifier: int,
        salt: bytes,
        realm: str,
        user_id: str,
        extra: dict[str, str],
    ) -> dict[str, Any]:
        srp_a = params["SRP_A"]
        if srp_a in self.seen_a:
            raise RefusedError("SRP_A reused")
        self.seen_a.add(srp_a)
        big_a = int(srp_a, 16)
        b = secrets.randbits(256) + 1
        big_b = ref.server_public(verifier, b)
        block = secrets.token_bytes(48)
        block_b64 = base64.b64encode(block).decode()
        state = Pending(kind, b, big_a, verifier, realm, user_id, block)
        response: dict[str, Any] = {
            "ChallengeName": kind,
            "ChallengeParameters": {
                # Numbers as Cognito prints them (Java's BigInteger.toString(16)).
                "SALT": ref.java_hex(int.from_bytes(salt, "big", signed=True)),
                "SRP_B": ref.java_hex(big_b),
                "SECRET_BLOCK": block_b64,
                **extra,
            },
        }
        if kind == "PASSWORD_VERIFIER":
            self.pending["block:" + block_b64] = state
        else:
            response["Session"] = self._session(state)
        return response

    def _verify_claim(self, state: Pending, responses: dict[str, str]) -> None:
        big_b = ref.server_public(state.verifier, state.b)
        u = ref.scrambler(state.big_a, big_b)
        key = ref.session_key(ref.server_premaster(state.big_a, state.verifier, u, state.b), u)
        if base64.b64decode(responses["PASSWORD_CLAIM_SECRET_BLOCK"]) != state.block:
            raise RefusedError("secret block changed")
        expected = ref.signature(
            key, state.realm, state.user_id, state.block, responses["TIMESTAMP"]
        )
        if not hmac.compare_digest(expected, responses["PASSWORD_CLAIM_SIGNATURE"]):
            raise RefusedError(f"{state.kind}: signature does not verify")

    def _user_challenge(self, params: dict[str, str]) -> dict[str, Any]:
        if params["USERNAME"] not in (self.username, self.user_id):
            raise RefusedError("unknown user")
        self._check_secret_hash(params)
        return self._srp_challenge(
            "PASSWORD_VERIFIER",
            params,
            self.verifier,
            ref.pad_bytes(self.salt),
            ref.pool_name(POOL),
            self.user_id,
            {"USER_ID_FOR_SRP": self.user_id, "USERNAME": self.user_id},
        )

    def _tokens(self, new_device: bool) -> dict[str, Any]:
        result: dict[str, Any] = {"AccessToken": "access", "IdToken": "id", "ExpiresIn": 3600}
        if new_device:
            key = f"us-east-1_{secrets.token_hex(4)}-aaaa-4bbb-8ccc-{secrets.token_hex(6)}"
            self.groups[key] = "-Grp" + secrets.token_hex(3)
            result["NewDeviceMetadata"] = {"DeviceKey": key, "DeviceGroupKey": self.groups[key]}
        return {"AuthenticationResult": result}

    # ------------------------------------------------ operations
    def initiate_auth(self, body: dict[str, Any]) -> dict[str, Any]:
        params, flow = body["AuthParameters"], body["AuthFlow"]
        if flow == "USER_SRP_AUTH":
            return self._user_challenge(params)
        if flow == "CUSTOM_AUTH" and params.get("CHALLENGE_NAME") == "SRP_A":
            return self._user_challenge(params)
        if flow == "USER_AUTH" and params.get("PREFERRED_CHALLENGE") == "PASSWORD_SRP":
            return self._user_challenge(params)
        if flow == "USER_AUTH" and "PREFERRED_CHALLENGE" not in params:
            self._check_secret_hash(params)
            return {
                "ChallengeName": "SELECT_CHALLENGE",
                "Session": self._session(Pending("SELECT_CHALLENGE")),
                "ChallengeParameters": {},
                "AvailableChallenges": ["PASSWORD_SRP", "PASSWORD", "EMAIL_OTP"],
            }
        raise RefusedError(f"unsupported {flow}")

    def respond_to_auth_challenge(self, body: dict[str, Any]) -> dict[str, Any]:
        name, responses = body["ChallengeName"], body["ChallengeResponses"]
        state = self._take(body, name)
        self._check_secret_hash(responses)
        if name == "SELECT_CHALLENGE":
            assert responses["ANSWER"] == "PASSWORD_SRP"
            return self._user_challenge(responses)
        if name == "PASSWORD_VERIFIER":
            if responses["USERNAME"] != self.user_id:
                raise RefusedError("PASSWORD_VERIFIER USERNAME is not USER_ID_FOR_SRP")
            self._verify_claim(state, responses)
            device_key = responses.get("DEVICE_KEY")
            if device_key in self.devices:
                return {
                    "ChallengeName": "DEVICE_SRP_AUTH",
                    "Session": self._session(Pending("DEVICE_SRP_AUTH")),
                    "ChallengeParameters": {},
                }
            if self.device_mode == "custom":
                return {
                    "ChallengeName": "CUSTOM_CHALLENGE",
                    "Session": self._session(Pending("CUSTOM_CHALLENGE")),
                    "ChallengeParameters": {"USERNAME": self.user_id},
                }
            return self._tokens(new_device=True)
        if name == "DEVICE_SRP_AUTH":
            if (
                responses.get("USERNAME") != self.user_id
                or responses.get("DEVICE_KEY") not in self.devices
            ):
                raise RefusedError("DEVICE_SRP_AUTH needs USERNAME and a known DEVICE_KEY")
            group, verifier, salt = self.devices[responses["DEVICE_KEY"]]
            return self._srp_challenge(
                "DEVICE_PASSWORD_VERIFIER",
                responses,
                verifier,
                salt,
                group,
                responses["DEVICE_KEY"],
                {"USERNAME": self.user_id, "DEVICE_KEY": responses["DEVICE_KEY"]},
            )
        if name == "DEVICE_PASSWORD_VERIFIER":
            if responses.get("DEVICE_KEY") != state.user_id:
                raise RefusedError("DEVICE_KEY missing or changed")
            self._verify_claim(state, responses)
            return self._tokens(new_device=False)
        raise RefusedError(f"unsupported {name}")

    def confirm_device(self, body: dict[str, Any]) -> dict[str, Any]:
        config = body["DeviceSecretVerifierConfig"]
        verifier = int.from_bytes(base64.b64decode(config["PasswordVerifier"]), "big")
        salt = base64.b64decode(config["Salt"])
        self.devices[body["DeviceKey"]] = (self.groups[body["DeviceKey"]], verifier, salt)
        return {"UserConfirmationNecessary": False}


class Wire:
    """Sends each body through a real boto3 client under Stubber, answered by the fake server."""

    def __init__(self, server: FakeCognito) -> None:
        self.server = server
        self.client = boto3.client(
            "cognito-idp", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
        )
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        answer: Callable[[dict[str, Any]], dict[str, Any]] = getattr(self.server, operation)
        response = answer(body)
        with Stubber(self.client) as stub:
            stub.add_response(operation, response, expected_params=body)
            result: dict[str, Any] = getattr(self.client, operation)(**body)
            stub.assert_no_pending_responses()
        self.calls.append((operation, body))
        return result


def remember_device(wire: Wire, server: FakeCognito, username: str, password: str) -> DeviceSecret:
    """First sign-in without a device; ConfirmDevice the NewDeviceMetadata it returns."""
    server.device_mode = "tokens"
    user = UserSRP(
        POOL, CLIENT, username, password, client_secret=CLIENT_SECRET if server.secret else None
    )
    first = wire("initiate_auth", srpkit.user_srp_auth_request(user))
    tokens = wire(
        "respond_to_auth_challenge", srpkit.password_verifier_request(user, first, now=NOW)
    )
    meta = tokens["AuthenticationResult"]["NewDeviceMetadata"]
    secret = srpkit.new_device_secret(meta["DeviceGroupKey"], meta["DeviceKey"])
    wire(
        "confirm_device",
        {
            "AccessToken": tokens["AuthenticationResult"]["AccessToken"],
            "DeviceKey": meta["DeviceKey"],
            "DeviceSecretVerifierConfig": secret.verifier_config,
        },
    )
    return secret


@pytest.mark.parametrize("with_secret", [False, True], ids=["public-client", "client-secret"])
def test_remembered_device_sign_in(with_secret: bool) -> None:
    """ConfirmDevice, then USER_SRP_AUTH -> PASSWORD_VERIFIER -> DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER."""
    server = FakeCognito(
        "alice@example.com", "5f1e-internal-id", "Corr3ct horse!", secret=with_secret
    )
    wire = Wire(server)
    device = remember_device(wire, server, "alice@example.com", "Corr3ct horse!")
    user = UserSRP(
        POOL,
        CLIENT,
        "alice@example.com",
        "Corr3ct horse!",
        client_secret=CLIENT_SECRET if with_secret else None,
        device_key=device.device_key,
    )
    first = wire("initiate_auth", srpkit.user_srp_auth_request(user))
    second = wire(
        "respond_to_auth_challenge", srpkit.password_verifier_request(user, first, now=NOW)
    )
    assert second["ChallengeName"] == "DEVICE_SRP_AUTH"
    dev = user.device_srp(device.device_group_key, device.password, first["ChallengeParameters"])
    third = wire("respond_to_auth_challenge", srpkit.device_srp_auth_request(dev, second))
    assert third["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER"
    final = wire("respond_to_auth_challenge", srpkit.device_password_verifier_request(dev, third))
    assert final["AuthenticationResult"]["AccessToken"] == "access"


def test_wrong_device_password_is_refused_by_the_server() -> None:
    """The fake server really checks the device proof: another device password fails."""
    server = FakeCognito("bob", "bob", "pw-pw-pw", secret=False)
    wire = Wire(server)
    device = remember_device(wire, server, "bob", "pw-pw-pw")
    user = UserSRP(POOL, CLIENT, "bob", "pw-pw-pw", device_key=device.device_key)
    first = wire("initiate_auth", srpkit.user_srp_auth_request(user))
    second = wire("respond_to_auth_challenge", srpkit.password_verifier_request(user, first))
    dev = user.device_srp(
        device.device_group_key, device.password + "x", first["ChallengeParameters"]
    )
    third = wire("respond_to_auth_challenge", srpkit.device_srp_auth_request(dev, second))
    with pytest.raises(RefusedError, match="signature"):
        wire("respond_to_auth_challenge", srpkit.device_password_verifier_request(dev, third))


@pytest.mark.parametrize(
    ("bug", "refusal"),
    [
        ("reuse the user step's SRP_A", "SRP_A reused"),
        ("drop SECRET_HASH", "SECRET_HASH"),
        ("drop DEVICE_KEY", "DEVICE_KEY"),
    ],
)
def test_peer_bugs_fail_at_the_fake_server(bug: str, refusal: str) -> None:
    """The device-step bugs seen in other libraries are refused here, so the passing flows mean something."""
    server = FakeCognito("frank", "frank-id", "pw%", secret=True)
    wire = Wire(server)
    device = remember_device(wire, server, "frank", "pw%")
    user = UserSRP(
        POOL, CLIENT, "frank", "pw%", client_secret=CLIENT_SECRET, device_key=device.device_key
    )
    first = wire("initiate_auth", srpkit.user_srp_auth_request(user))
    second = wire("respond_to_auth_challenge", srpkit.password_verifier_request(user, first))
    dev = user.device_srp(device.device_group_key, device.password, first["ChallengeParameters"])
    body = srpkit.device_srp_auth_request(dev, second)
    responses = body["ChallengeResponses"]
    if bug.startswith("reuse"):
        responses["SRP_A"] = user.srp_a
    else:
        del responses[bug.split()[1]]
    with pytest.raises(RefusedError, match=refusal):
        wire("respond_to_auth_challenge", body)


def test_custom_auth_starting_with_srp() -> None:
    """CUSTOM_AUTH with CHALLENGE_NAME=SRP_A, then PASSWORD_VERIFIER, reaches the custom challenge."""
    server = FakeCognito("carol", "carol-id", "pw!", secret=True)
    wire = Wire(server)
    user = UserSRP(POOL, CLIENT, "carol", "pw!", client_secret=CLIENT_SECRET)
    first = wire("initiate_auth", srpkit.custom_auth_srp_request(user))
    second = wire("respond_to_auth_challenge", srpkit.password_verifier_request(user, first))
    assert second["ChallengeName"] == "CUSTOM_CHALLENGE"


def test_user_auth_preferring_password_srp() -> None:
    """USER_AUTH with PREFERRED_CHALLENGE=PASSWORD_SRP goes straight to PASSWORD_VERIFIER and signs in."""
    server = FakeCognito("dave", "dave-id", "pw?", secret=True)
    server.device_mode = "tokens"
    wire = Wire(server)
    user = UserSRP(POOL, CLIENT, "dave", "pw?", client_secret=CLIENT_SECRET)
    first = wire("initiate_auth", srpkit.user_auth_request(user))
    tokens = wire("respond_to_auth_challenge", srpkit.password_verifier_request(user, first))
    assert "AuthenticationResult" in tokens


def test_user_auth_select_challenge_then_password_srp() -> None:
    """USER_AUTH without preference, SELECT_CHALLENGE answered with PASSWORD_SRP, then PASSWORD_VERIFIER."""
    server = FakeCognito("erin", "erin-id", "pw#", secret=True)
    server.device_mode = "tokens"
    wire = Wire(server)
    user = UserSRP(POOL, CLIENT, "erin", "pw#", client_secret=CLIENT_SECRET)
    first = wire("initiate_auth", srpkit.user_auth_request(user, preferred_challenge=None))
    assert first["AvailableChallenges"][0] == "PASSWORD_SRP"
    second = wire("respond_to_auth_challenge", srpkit.select_password_srp_request(user, first))
    tokens = wire("respond_to_auth_challenge", srpkit.password_verifier_request(user, second))
    assert "AuthenticationResult" in tokens
