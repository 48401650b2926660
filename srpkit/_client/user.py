"""UserSRP: the client side of USER_SRP_AUTH and the PASSWORD_VERIFIER challenge."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from .._core.checks import (
    Problems,
    check_client_id,
    check_device_key,
    check_optional_secret,
    check_password,
    check_username,
    pool_name,
)
from .._core.ephemeral import check_small_a
from .._core.errors import InvalidChallengeError, InvalidInputError
from .challenge import parse_srp_challenge
from .claim import Prover, SignedClaim
from .device import DeviceSRP

__all__ = ["UserSRP"]


class UserSRP(Prover):
    """One sign-in of a user with SRP: SRP_A for InitiateAuth, then the PASSWORD_VERIFIER answer.

    ``small_a`` fixes the private ephemeral and exists for known-answer tests
    only; by default a fresh one is drawn from ``secrets``. Use one object per
    sign-in attempt.
    """

    __slots__ = (
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
        self._username = username
        self._password = password
        self._device_key = device_key
        self._init_prover(client_id, client_secret, small_a)

    def __repr__(self) -> str:
        return (
            f"UserSRP(pool_id={self._pool_id!r}, client_id={self._client_id!r}, "
            f"username={self._username!r}, password=<redacted>, "
            f"client_secret={'<redacted>' if self._client_secret is not None else None}, "
            f"device_key={self._device_key!r})"
        )

    @property
    def pool_id(self) -> str:
        """The user pool id this sign-in is for (AdminInitiateAuth's UserPoolId)."""
        return self._pool_id

    def auth_parameters(self) -> dict[str, str]:
        """The AuthParameters for InitiateAuth with USER_SRP_AUTH: USERNAME, SRP_A (+ SECRET_HASH, DEVICE_KEY)."""
        params = self._with_secret_hash(
            {"USERNAME": self._username, "SRP_A": self.srp_a}, self._username
        )
        if self._device_key is not None:
            params["DEVICE_KEY"] = self._device_key
        return params

    def password_claim(
        self, challenge_parameters: Mapping[str, str], *, now: datetime | None = None
    ) -> SignedClaim:
        """The claim's intermediates, the USER_ID_FOR_SRP it was signed for, and its TIMESTAMP."""
        challenge, extras = parse_srp_challenge(
            challenge_parameters, also_required=("USER_ID_FOR_SRP",)
        )
        user_id = check_username(
            extras["USER_ID_FOR_SRP"], "USER_ID_FOR_SRP", error=InvalidChallengeError
        )
        return self._sign(
            challenge, realm=self._pool_name, user_id=user_id, password=self._password, now=now
        )

    def process_challenge(
        self, challenge_parameters: Mapping[str, str], *, now: datetime | None = None
    ) -> dict[str, str]:
        """The ChallengeResponses answering PASSWORD_VERIFIER for these ChallengeParameters.

        USERNAME and SECRET_HASH use USER_ID_FOR_SRP from the challenge: a user who
        signed in with an alias (email, phone) is signed under the internal id.
        """
        signed = self.password_claim(challenge_parameters, now=now)
        return self._answer(
            signed, challenge_parameters, username=signed.user_id, device_key=self._device_key
        )

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
        are this object's; the device's private ephemeral is a fresh one. This
        object's SRP_A goes along as ``user_srp_a``, so a ``small_a`` that is this
        step's own (a reused ephemeral) is refused here, whoever builds the steps.
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
            user_srp_a=self.srp_a,
        )
