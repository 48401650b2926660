"""PreventUserExistenceErrors: an unknown user is answered like a known one, in shape and in work (#18).

Three ways told them apart before: USER_AUTH without PREFERRED_CHALLENGE answered
UserNotFoundException for unknown users; the decoy echoed the typed name as
USER_ID_FOR_SRP where real users of an email-as-username pool get a UUID; and the
decoy computed g^x (one more exponentiation than a real user's stored verifier),
so a median of 50 requests told them apart. Timing is not asserted (tests never
assert a time); the work is: the exponentiations each path runs are counted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from serve_support import PASSWORD, add_user, make_pool, running

from srpkit import UserSRP, select_password_srp_request, user_auth_request, user_srp_auth_request
from srpkit._core import srp as srp_math

pytestmark = pytest.mark.usefixtures("srp_backend")

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
HIDDEN = {"PreventUserExistenceErrors": "ENABLED"}
FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_USER_AUTH")


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A boto3 client of one in-process server (in process, so its arithmetic can be counted)."""
    with running() as (_handle, made, _log):
        yield made


def shape(response: dict[str, Any]) -> tuple[Any, ...]:
    """What an observer sees of a challenge apart from its random values."""
    params = response.get("ChallengeParameters", {})
    return (
        response.get("ChallengeName"),
        "Session" in response,
        tuple(sorted(params)),
        tuple(response.get("AvailableChallenges", ())),
    )


def test_user_auth_choice_hides_unknown_users(client: Any) -> None:
    """USER_AUTH with no preference: SELECT_CHALLENGE for both, then PASSWORD_VERIFIER, then refusal."""
    pool_id, client_id, _ = make_pool(client, flows=FLOWS, client_options=HIDDEN)
    add_user(client, pool_id, "known")
    seen = []
    for name in ("known", "ghost"):
        user = UserSRP(pool_id, client_id, name, PASSWORD + ("" if name == "known" else "x"))
        first = client.initiate_auth(**user_auth_request(user, preferred_challenge=None))
        second = client.respond_to_auth_challenge(**select_password_srp_request(user, first))
        seen.append((shape(first), shape(second)))
    assert seen[0] == seen[1]
    assert seen[0][0][0] == "SELECT_CHALLENGE" and seen[0][1][0] == "PASSWORD_VERIFIER"


def test_decoy_select_challenge_cannot_switch_user(client: Any) -> None:
    """The decoy's SELECT_CHALLENGE Session is bound to the name it was asked for."""
    pool_id, client_id, _ = make_pool(client, flows=FLOWS, client_options=HIDDEN)
    add_user(client, pool_id, "known")
    ghost = UserSRP(pool_id, client_id, "ghost", PASSWORD)
    first = client.initiate_auth(**user_auth_request(ghost, preferred_challenge=None))
    known = UserSRP(pool_id, client_id, "known", PASSWORD)
    with pytest.raises(client.exceptions.NotAuthorizedException):
        client.respond_to_auth_challenge(**select_password_srp_request(known, first))


def test_decoy_user_id_is_shaped_like_a_real_one(client: Any) -> None:
    """In an email-as-username pool, both get a UUID as USER_ID_FOR_SRP; the decoy's is stable."""
    pool_id, client_id, _ = make_pool(client, client_options=HIDDEN, UsernameAttributes=["email"])
    add_user(client, pool_id, "known@example.com", email="known@example.com")
    ids = {}
    for name in ("known@example.com", "ghost@example.com", "ghost@example.com"):
        user = UserSRP(pool_id, client_id, name, PASSWORD)
        params = client.initiate_auth(**user_srp_auth_request(user))["ChallengeParameters"]
        assert UUID.fullmatch(params["USER_ID_FOR_SRP"]), name
        assert params["USERNAME"] == params["USER_ID_FOR_SRP"]
        ids.setdefault(name, set()).add(params["USER_ID_FOR_SRP"])
    assert len(ids["ghost@example.com"]) == 1
    assert ids["ghost@example.com"] != ids["known@example.com"]


def test_known_and_unknown_users_cost_the_same_exponentiations(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """InitiateAuth and the refused answer run the same modular exponentiations for both."""
    pool_id, client_id, _ = make_pool(client, client_options=HIDDEN)
    add_user(client, pool_id, "known")
    counts: Counter[str] = Counter()
    for name in ("powmod", "powmod_g"):
        real = getattr(srp_math, name)

        def counted(*args: int, _real: Any = real, _name: str = name) -> int:
            counts[_name] += 1
            return int(_real(*args))

        monkeypatch.setattr(srp_math, name, counted)
    work = {}
    for name in ("known", "ghost"):
        user = UserSRP(pool_id, client_id, name, "not-the-Passw0rd")  # both refused at the end
        challenge = client.initiate_auth(**user_srp_auth_request(user))
        counts.clear()
        answer = {
            "ClientId": client_id,
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeResponses": user.process_challenge(challenge["ChallengeParameters"]),
        }
        with pytest.raises(client.exceptions.NotAuthorizedException):
            client.respond_to_auth_challenge(**answer)
        work[name] = dict(counts)
    assert work["known"] == work["ghost"]
    per_start = {}
    for name in ("known", "ghost"):
        counts.clear()
        client.initiate_auth(**user_srp_auth_request(UserSRP(pool_id, client_id, name, PASSWORD)))
        per_start[name] = dict(counts)
    assert per_start["known"] == per_start["ghost"]
