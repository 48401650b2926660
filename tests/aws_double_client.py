"""A Cognito SRP client written from tests/reference, to drive CognitoDouble in tests of the double itself.

It signs in as the official clients do (amazon-cognito-identity-js CognitoUser.js):
after InitiateAuth every USERNAME is USER_ID_FOR_SRP and every SECRET_HASH is over
it, and a Session goes back exactly when the last answer carried one. Each of
those rules can be broken on purpose (``username=``, ``hash_name=``,
``session=``), so a test can show the double refuses what Cognito refuses.
Nothing here imports srpkit.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reference import cognito_srp as ref

TIMESTAMP = "Tue Dec 1 20:05:09 UTC 2026"
SMALL_A = int("5eed" * 64, 16)
DEVICE_A = int("de71ce" * 40, 16)
_KEEP = object()  # "send what the official client sends"
Answer = Callable[[dict[str, Any]], "dict[str, str] | None"]


def client_premaster(a: int, big_b: int, x: int, u: int) -> int:
    """The client's S = (B - k*g^x)^(a + u*x) mod N."""
    return pow((big_b - ref.K * pow(ref.G, x, ref.N)) % ref.N, a + u * x, ref.N)


def claim_signature(
    params: Mapping[str, str], *, realm: str, signer: str, password: str, a: int, timestamp: str
) -> str:
    """PASSWORD_CLAIM_SIGNATURE for a PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER challenge."""
    salt, big_b = int(params["SALT"], 16), int(params["SRP_B"], 16)
    x = ref.private_x(salt, realm, signer, password)
    u = ref.scrambler(pow(ref.G, a, ref.N), big_b)
    key = ref.session_key(client_premaster(a, big_b, x, u), u)
    return ref.signature(key, realm, signer, base64.b64decode(params["SECRET_BLOCK"]), timestamp)


@dataclass(frozen=True)
class RefDevice:
    """A confirmed device: its key, group key and the password its verifier was made from."""

    key: str
    group_key: str
    password: str = field(repr=False)


def remember(client: Any, result: Mapping[str, Any], *, salt: int, password: str) -> RefDevice:
    """ConfirmDevice the NewDeviceMetadata of ``result`` with the reference's verifier for ``salt``."""
    meta = result["NewDeviceMetadata"]
    key, group = meta["DeviceKey"], meta["DeviceGroupKey"]
    config = ref.device_verifier_config(group, key, password, salt)
    client.confirm_device(
        AccessToken=result["AccessToken"], DeviceKey=key, DeviceSecretVerifierConfig=config
    )
    return RefDevice(key, group, password)


class RefSignIn:
    """One sign-in, step by step, through InitiateAuth and RespondToAuthChallenge (or their Admin forms)."""

    def __init__(
        self,
        client: Any,
        pool_id: str,
        client_id: str,
        username: str,
        password: str,
        *,
        secret: str | None = None,
        device: RefDevice | None = None,
        admin: bool = False,
    ) -> None:
        self.client, self.pool_id, self.client_id = client, pool_id, client_id
        self.username, self.password, self.secret = username, password, secret
        self.device, self.admin = device, admin
        self.internal = username  # becomes USER_ID_FOR_SRP once InitiateAuth answers

    def _hash(self, name: str) -> dict[str, str]:
        return (
            {}
            if self.secret is None
            else {"SECRET_HASH": ref.secret_hash(name, self.client_id, self.secret)}
        )

    def initiate(self, **extra: str) -> dict[str, Any]:
        """InitiateAuth USER_SRP_AUTH with the typed name (and SECRET_HASH over it)."""
        params = {"USERNAME": self.username, "SRP_A": ref.java_hex(pow(ref.G, SMALL_A, ref.N))}
        if self.device is not None:
            params["DEVICE_KEY"] = self.device.key
        params |= self._hash(self.username) | extra
        kwargs: dict[str, Any] = {"ClientId": self.client_id, "AuthFlow": "USER_SRP_AUTH"}
        kwargs["AuthParameters"] = params
        if self.admin:
            first = self.client.admin_initiate_auth(UserPoolId=self.pool_id, **kwargs)
        else:
            first = self.client.initiate_auth(**kwargs)
        self.internal = first["ChallengeParameters"]["USER_ID_FOR_SRP"]
        return dict(first)

    def respond(
        self,
        last: Mapping[str, Any],
        answers: Mapping[str, str],
        *,
        username: Any = _KEEP,
        hash_name: Any = _KEEP,
        session: Any = _KEEP,
    ) -> dict[str, Any]:
        """Answer ``last``'s challenge with ``answers`` plus USERNAME, SECRET_HASH and its Session."""
        name = self.internal if username is _KEEP else username
        responses = {"USERNAME": name, **self._hash(name if hash_name is _KEEP else hash_name)}
        responses |= answers
        kwargs: dict[str, Any] = {
            "ClientId": self.client_id,
            "ChallengeName": last["ChallengeName"],
            "ChallengeResponses": responses,
        }
        sent = last.get("Session") if session is _KEEP else session
        if sent is not None:
            kwargs["Session"] = sent
        if self.admin:
            return dict(
                self.client.admin_respond_to_auth_challenge(UserPoolId=self.pool_id, **kwargs)
            )
        return dict(self.client.respond_to_auth_challenge(**kwargs))

    def password_claim(
        self, first: Mapping[str, Any], *, device_key: Any = _KEEP
    ) -> dict[str, str]:
        """The PASSWORD_VERIFIER ChallengeResponses (without USERNAME and SECRET_HASH)."""
        params = first["ChallengeParameters"]
        signature = claim_signature(
            params,
            realm=ref.pool_name(self.pool_id),
            signer=self.internal,
            password=self.password,
            a=SMALL_A,
            timestamp=TIMESTAMP,
        )
        answers = {
            "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
            "PASSWORD_CLAIM_SIGNATURE": signature,
            "TIMESTAMP": TIMESTAMP,
        }
        key = (self.device.key if self.device else None) if device_key is _KEEP else device_key
        if key is not None:
            answers["DEVICE_KEY"] = key
        return answers

    def device_steps(self, last: Mapping[str, Any]) -> dict[str, Any]:
        """Answer DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER, with the remembered device."""
        assert self.device is not None
        srp_a = ref.java_hex(pow(ref.G, DEVICE_A, ref.N))
        second = self.respond(last, {"DEVICE_KEY": self.device.key, "SRP_A": srp_a})
        signature = claim_signature(
            second["ChallengeParameters"],
            realm=self.device.group_key,
            signer=self.device.key,
            password=self.device.password,
            a=DEVICE_A,
            timestamp=TIMESTAMP,
        )
        answers = {
            "DEVICE_KEY": self.device.key,
            "PASSWORD_CLAIM_SECRET_BLOCK": second["ChallengeParameters"]["SECRET_BLOCK"],
            "PASSWORD_CLAIM_SIGNATURE": signature,
            "TIMESTAMP": TIMESTAMP,
        }
        return self.respond(second, answers)

    def tokens(self, answer: Answer | None = None) -> dict[str, Any]:
        """The AuthenticationResult of ``run(answer)``; KeyError if it stopped at a challenge."""
        return dict(self.run(answer)["AuthenticationResult"])

    def run(self, answer: Answer | None = None) -> dict[str, Any]:
        """The whole sign-in; ``answer`` gives each other challenge's responses, or None to stop there."""
        last = self.initiate()
        last = self.respond(last, self.password_claim(last))
        while "AuthenticationResult" not in last:
            if last["ChallengeName"] == "DEVICE_SRP_AUTH":
                last = self.device_steps(last)
                continue
            answers = answer(last) if answer is not None else None
            if answers is None:
                return last
            last = self.respond(last, answers)
        return last


def refresh(
    client: Any,
    client_id: str,
    token: str,
    *,
    hashed: tuple[str, str] | None = None,
    **params: str,
) -> dict[str, Any]:
    """InitiateAuth REFRESH_TOKEN_AUTH with ``token``, SECRET_HASH over ``hashed`` = (name, secret)."""
    params = {"REFRESH_TOKEN": token, **params}
    if hashed is not None:
        params["SECRET_HASH"] = ref.secret_hash(hashed[0], client_id, hashed[1])
    answer = client.initiate_auth(
        ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters=params
    )
    return dict(answer)


async def aio_sign_in(
    client: Any, pool_id: str, client_id: str, username: str, password: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """USER_SRP_AUTH and PASSWORD_VERIFIER through an aiobotocore client: (the answer sent, the tokens)."""
    params = {"USERNAME": username, "SRP_A": ref.java_hex(pow(ref.G, SMALL_A, ref.N))}
    first = await client.initiate_auth(
        ClientId=client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=params
    )
    challenge = first["ChallengeParameters"]
    internal = challenge["USER_ID_FOR_SRP"]
    signature = claim_signature(
        challenge,
        realm=ref.pool_name(pool_id),
        signer=internal,
        password=password,
        a=SMALL_A,
        timestamp=TIMESTAMP,
    )
    responses = {
        "USERNAME": internal,
        "PASSWORD_CLAIM_SECRET_BLOCK": challenge["SECRET_BLOCK"],
        "PASSWORD_CLAIM_SIGNATURE": signature,
        "TIMESTAMP": TIMESTAMP,
    }
    body = {
        "ClientId": client_id,
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeResponses": responses,
    }
    return body, dict(await client.respond_to_auth_challenge(**body))
