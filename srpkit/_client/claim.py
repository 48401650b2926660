"""The step UserSRP and DeviceSRP share: one private ephemeral, A, and the signed answer to an SRP challenge.

A user and a remembered device prove themselves with the same SRP, over other
names: the pool name and USER_ID_FOR_SRP, or the device group key and device key.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import NamedTuple

from .._core.ephemeral import draw_small_a
from .._core.secret_hash import secret_hash
from .._core.srp import PasswordClaim, password_claim, public_ephemeral
from .challenge import SRPChallenge, timestamp_for

__all__ = ["Prover", "SignedClaim"]


class SignedClaim(NamedTuple):
    """An SRP answer: every intermediate, the name it was signed for, and its TIMESTAMP.

    ``user_id`` is USER_ID_FOR_SRP for a user and the device key for a device:
    the name hashed into x and signed. The same shape for both, so code that
    inspects one inspects the other.
    """

    claim: PasswordClaim
    user_id: str
    timestamp: str


class Prover:
    """What a client proving knowledge of a password holds: a, A, its app client and secret."""

    __slots__ = ("_a", "_big_a", "_client_id", "_client_secret")

    def _init_prover(self, client_id: str, client_secret: str | None, small_a: int | None) -> None:
        # Arguments are checked by the subclass, all at once, before this runs.
        self._client_id = client_id
        self._client_secret = client_secret
        self._a = draw_small_a() if small_a is None else small_a
        self._big_a = public_ephemeral(self._a)

    @property
    def client_id(self) -> str:
        """The app client id the request bodies are for."""
        return self._client_id

    @property
    def srp_a(self) -> str:
        """SRP_A as sent: minimal lowercase hex of A, no padding."""
        return format(self._big_a, "x")

    def _sign(
        self,
        challenge: SRPChallenge,
        *,
        realm: str,
        user_id: str,
        password: str,
        now: datetime | None,
    ) -> SignedClaim:
        timestamp = timestamp_for(now)
        claim = password_claim(
            a=self._a,
            big_a=self._big_a,
            big_b=challenge.big_b,
            salt=challenge.salt,
            realm=realm,
            user_id=user_id,
            password=password,
            secret_block=challenge.secret_block,
            timestamp=timestamp,
        )
        return SignedClaim(claim, user_id, timestamp)

    def _with_secret_hash(self, params: dict[str, str], username: str) -> dict[str, str]:
        if self._client_secret is not None:
            params["SECRET_HASH"] = secret_hash(username, self._client_id, self._client_secret)
        return params

    def _answer(
        self,
        signed: SignedClaim,
        challenge_parameters: Mapping[str, str],
        *,
        username: str,
        device_key: str | None,
    ) -> dict[str, str]:
        """The ChallengeResponses carrying ``signed``; SECRET_HASH over ``username``."""
        responses = {
            "USERNAME": username,
            "PASSWORD_CLAIM_SECRET_BLOCK": challenge_parameters["SECRET_BLOCK"],
            "TIMESTAMP": signed.timestamp,
            "PASSWORD_CLAIM_SIGNATURE": signed.claim.signature,
        }
        self._with_secret_hash(responses, username)
        if device_key is not None:
            responses["DEVICE_KEY"] = device_key
        return responses
