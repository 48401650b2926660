"""Issue #18 item 3: ``srpkit.aws.authenticate`` meets hostile responses with typed errors only."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from srpkit import SRPKitError
from srpkit.aws import authenticate

pytestmark = pytest.mark.usefixtures("srp_backend")

GOOD_CHALLENGE: dict[str, Any] = {
    "ChallengeName": "PASSWORD_VERIFIER",
    "ChallengeParameters": {
        "SRP_B": "2" * 40,
        "SALT": "abcdef0123",
        "SECRET_BLOCK": base64.b64encode(b"block").decode(),
        "USER_ID_FOR_SRP": "alice",
        "USERNAME": "alice",
    },
}
HOSTILE_VALUES: list[Any] = [["PASSWORD_VERIFIER"], {"a": 1}, 7, True, 1.5, b"x", None]
FIELDS = [
    "ChallengeName",
    "Session",
    "ChallengeParameters",
    "AvailableChallenges",
    "AuthenticationResult",
]


def _hostile_responses(with_params: bool = True) -> list[Any]:
    out: list[Any] = [None, [], "PASSWORD_VERIFIER", 3, {}]
    for field in FIELDS:
        for value in HOSTILE_VALUES:
            out.append({**GOOD_CHALLENGE, field: value})
            out.append({"ChallengeName": "SELECT_CHALLENGE", field: value})
    for param in GOOD_CHALLENGE["ChallengeParameters"] if with_params else ():
        for value in [*HOSTILE_VALUES, "", "zz", "-1", "0"]:
            params = {**GOOD_CHALLENGE["ChallengeParameters"], param: value}
            out.append({**GOOD_CHALLENGE, "ChallengeParameters": params})
    for member in ["AccessToken", "IdToken", "RefreshToken", "ExpiresIn", "NewDeviceMetadata"]:
        for value in HOSTILE_VALUES[:-1]:
            out.append({"AuthenticationResult": {member: value}})
    return out


class _Client:
    """Answers InitiateAuth with ``first``, then every RespondToAuthChallenge with ``then``."""

    def __init__(self, first: Any, then: Any) -> None:
        self.first, self.then = first, then

    def initiate_auth(self, **_: Any) -> Any:
        return self.first

    def respond_to_auth_challenge(self, **_: Any) -> Any:
        return self.then


@pytest.mark.parametrize(
    ("stage", "flow"),
    [("initiate", "USER_SRP_AUTH"), ("initiate", "USER_AUTH"), ("respond", "USER_SRP_AUTH")],
)
def test_hostile_response_fields_raise_typed_errors(stage: str, flow: str) -> None:
    """Every hostile response shape, first or second, ends in an srpkit error or a result, never a crash."""
    # The second answer costs a real SRP claim each, so only whole-field hostiles there.
    for hostile in _hostile_responses(with_params=stage == "initiate"):
        client = (
            _Client(hostile, hostile) if stage == "initiate" else _Client(GOOD_CHALLENGE, hostile)
        )
        try:
            authenticate(
                client,
                pool_id="us-east-1_AbC123",
                client_id="client1",
                username="alice",
                password="hunter2hunter2",
                flow=flow,
            )
        except SRPKitError as exc:
            assert "hunter2" not in str(exc)
        except Exception as exc:  # the point: nothing untyped escapes
            pytest.fail(f"{type(exc).__name__} for {hostile!r}: {exc}")
