"""UserSRP: the client side of USER_SRP_AUTH and the PASSWORD_VERIFIER challenge."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from ._challenge import check_small_a, draw_small_a, parse_srp_challenge, timestamp_for
from ._device import DeviceSRP
from ._errors import InvalidChallengeError, InvalidInputError
from ._secret_hash import secret_hash
from ._srp import PasswordClaim, password_claim, public_ephemeral
from ._validate import (
    Problems,
    check_client_id,
    check_device_key,
    check_optional_secret,
    check_password,
    check_username,
    pool_name,
)

__all__ = ["UserSRP"]


class UserSRP:
    """One sign-in of a user with SRP: SRP_A for InitiateAuth, then the PASSWORD_VERIFIER answer.

    ``small_a`` fixes the private ephemeral and exists for known-answer tests
    only; by default a fresh one is drawn from ``secrets``. Use one object per
    sign-in attempt.
    """

    __slots__ = (
        "_a",
        "_big_a",
        "_client_id",
        "_client_secret",
        "_device_key",
        "_password",
        "_pool_id",
        "_pool_name",
        "_username",
    )

    def __init__(
        self,
        pool_id: str,
        client_id: str,
        username: str,
        password: str,
        *,
        client_secret: str | None = None,
        device_key: str | None = None,
        small_a: int | None = None,
    ) -> None:
        problems = Problems()
        problems.check(pool_name, pool_id)
        problems.check(check_client_id, client_id)
        problems.check(check_username, username)
        problems.check(check_password, password)
        problems.check(check_optional_secret, client_secret, "client_secret")
        if device_key is not None:
            problems.check(check_device_key, device_key)
        if small_a is not None:
            problems.check(check_small_a, small_a)
        problems.raise_any()
        self._pool_id = pool_id
        self._pool_name = pool_name(pool_id)
        self._client_id = client_id
        self._username = username
        self._password = password
        self._client_secret = client_secret
        self._device_key = device_key
        self._a = draw_small_a() if small_a is None else small_a
        self._big_a = public_ephemeral(self._a)

    def __repr__(self) -> str:
        return (
            f"UserSRP(pool_id={self._pool_id!r}, client_id={self._client_id!r}, "
            f"username={self._username!r}, password=<redacted>, "
            f"client_secret={'<redacted>' if self._client_secret is not None else None}, "
            f"device_key={self._device_key!r})"
        )

    @property
    def client_id(self) -> str:
        """The app client id the request bodies are for."""
        return self._client_id

    @property
    def srp_a(self) -> str:
        """SRP_A as sent: minimal lowercase hex of A, no padding."""
        return format(self._big_a, "x")

    def auth_parameters(self) -> dict[str, str]:
        """The AuthParameters for InitiateAuth with USER_SRP_AUTH: USERNAME, SRP_A (+ SECRET_HASH, DEVICE_KEY)."""
        params = {"USERNAME": self._username, "SRP_A": self.srp_a}
        if self._client_secret is not None:
            params["SECRET_HASH"] = secret_hash(
                self._username, self._client_id, self._client_secret
            )
        if self._device_key is not None:
            params["DEVICE_KEY"] = self._device_key
        return params

    def password_claim(
        self, challenge_parameters: Mapping[str, str], *, now: datetime | None = None
    ) -> tuple[PasswordClaim, str, str]:
        """The claim's intermediates, the USER_ID_FOR_SRP it was made for, and its TIMESTAMP."""
        challenge, extras = parse_srp_challenge(
            challenge_parameters, also_required=("USER_ID_FOR_SRP",)
        )
        user_id = check_username(
            extras["USER_ID_FOR_SRP"], "USER_ID_FOR_SRP", error=InvalidChallengeError
        )
        timestamp = timestamp_for(now)
        claim = password_claim(
            a=self._a,
            big_a=self._big_a,
            big_b=challenge.big_b,
            salt=challenge.salt,
            realm=self._pool_name,
            user_id=user_id,
            password=self._password,
            secret_block=challenge.secret_block,
            timestamp=timestamp,
        )
        return claim, user_id, timestamp

    def process_challenge(
        self, challenge_parameters: Mapping[str, str], *, now: datetime | None = None
    ) -> dict[str, str]:
        """The ChallengeResponses answering PASSWORD_VERIFIER for these ChallengeParameters.

        USERNAME and SECRET_HASH use USER_ID_FOR_SRP from the challenge: a user who
        signed in with an alias (email, phone) is signed under the internal id.
        """
        claim, user_id, timestamp = self.password_claim(challenge_parameters, now=now)
        responses = {
            "USERNAME": user_id,
            "PASSWORD_CLAIM_SECRET_BLOCK": challenge_parameters["SECRET_BLOCK"],
            "TIMESTAMP": timestamp,
            "PASSWORD_CLAIM_SIGNATURE": claim.signature,
        }
        if self._client_secret is not None:
            responses["SECRET_HASH"] = secret_hash(user_id, self._client_id, self._client_secret)
        if self._device_key is not None:
            responses["DEVICE_KEY"] = self._device_key
        return responses

    def device_srp(
        self,
        device_group_key: str,
        device_password: str,
        challenge_parameters: Mapping[str, str],
        *,
        small_a: int | None = None,
    ) -> DeviceSRP:
        """The DeviceSRP for the device steps that follow this user's PASSWORD_VERIFIER.

        ``challenge_parameters`` are that PASSWORD_VERIFIER's (for USER_ID_FOR_SRP,
        the USERNAME the device steps carry). Client, client secret and device key
        are this object's; the device's private ephemeral is a fresh one.
        """
        if self._device_key is None:
            raise InvalidInputError(
                "device_key: this UserSRP was made without device_key, so Cognito "
                "will not ask for the device steps",
                fields=("device_key",),
            )
        _, extras = parse_srp_challenge(challenge_parameters, also_required=("USER_ID_FOR_SRP",))
        user_id = check_username(
            extras["USER_ID_FOR_SRP"], "USER_ID_FOR_SRP", error=InvalidChallengeError
        )
        return DeviceSRP(
            device_group_key,
            self._device_key,
            device_password,
            user_id,
            self._client_id,
            client_secret=self._client_secret,
            small_a=small_a,
        )
