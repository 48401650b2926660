"""DEVICE_SRP_AUTH, server side: one DEVICE_PASSWORD_VERIFIER sign-in from a ConfirmDevice verifier."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from .._core.caps import MAX_VERIFIER_B64
from .._core.checks import Problems, check_device_group_key, check_device_key, check_username
from .._core.encoding import b64decode_field, java_hex
from .._core.errors import InvalidInputError, ParameterTypeError
from .._core.timestamp import DEFAULT_MAX_SKEW
from ._session import Session, check_verifier

__all__ = ["DeviceServerSRP"]


def _read_verifier_config(config: object) -> tuple[str, int]:
    """(SALT hex to send, v) from a ConfirmDevice DeviceSecretVerifierConfig."""
    field = "verifier_config"
    if not isinstance(config, Mapping):
        raise ParameterTypeError(
            f"{field}: expected a mapping with PasswordVerifier and Salt (base64), "
            f"got {type(config).__name__}",
            fields=(field,),
        )
    missing = [key for key in ("PasswordVerifier", "Salt") if key not in config]
    if missing:
        raise InvalidInputError(f"{field}: missing " + ", ".join(missing), fields=missing)
    v_bytes = b64decode_field(
        config["PasswordVerifier"],
        "PasswordVerifier",
        max_len=MAX_VERIFIER_B64,
        error=InvalidInputError,
    )
    salt_bytes = b64decode_field(
        config["Salt"], "Salt", max_len=MAX_VERIFIER_B64, error=InvalidInputError
    )
    if not salt_bytes:
        raise InvalidInputError("Salt: empty", fields=("Salt",))
    v = check_verifier(int.from_bytes(v_bytes, "big"), "PasswordVerifier")
    # SALT is the stored bytes read as a two's-complement number (as a Java
    # BigInteger would): the clients' padHex of it then gives back exactly the
    # bytes they hashed, including for a salt whose top bit is set.
    salt = int.from_bytes(salt_bytes, "big", signed=True)
    return java_hex(salt), v


class DeviceServerSRP(Session):
    """One DEVICE_SRP_AUTH sign-in, server side, from the verifier ConfirmDevice received.

    ``verifier_config`` is the DeviceSecretVerifierConfig exactly as sent:
    ``{"PasswordVerifier": base64, "Salt": base64}``. ``username`` is the
    user's Cognito username (USERNAME in both device messages); ``aliases`` are
    accepted as USERNAME too. The claim is signed over the device group key and
    device key. ``client_id``/``client_secret``, ``small_b`` and ``secret_block``
    are as for ``ServerSRP``.
    """

    __slots__ = ("_username",)

    def __init__(
        self,
        username: str,
        device_group_key: str,
        device_key: str,
        verifier_config: Mapping[str, str],
        *,
        small_b: int | None = None,
        secret_block: bytes | None = None,
        aliases: Iterable[str] = (),
        client_id: str | None = None,
        client_secret: str | None = None,
    ) -> None:
        problems = Problems()
        problems.check(check_username, username)
        problems.check(check_device_group_key, device_group_key)
        problems.check(check_device_key, device_key)
        problems.check(_read_verifier_config, verifier_config)
        self.check_common(
            problems,
            aliases=aliases,
            client_id=client_id,
            client_secret=client_secret,
            small_b=small_b,
            secret_block=secret_block,
        )
        problems.raise_any()
        salt_text, v = _read_verifier_config(verifier_config)
        self._setup(
            realm=device_group_key,
            user_id=device_key,  # the device key is also what DEVICE_KEY must carry
            username=username,
            aliases=aliases,
            salt_text=salt_text,
            v=v,
            small_b=small_b,
            secret_block=secret_block,
            client_id=client_id,
            client_secret=client_secret,
        )
        self._username = username

    def __repr__(self) -> str:
        return (
            f"DeviceServerSRP(device_group_key={self._realm!r}, device_key={self._user_id!r}, "
            f"verifier=<redacted>, state={self._state.value!r})"
        )

    def start(self, challenge_responses: Mapping[str, str]) -> dict[str, str]:
        """Answer DEVICE_SRP_AUTH's ChallengeResponses with DEVICE_PASSWORD_VERIFIER's parameters.

        Checks USERNAME, DEVICE_KEY and SECRET_HASH, then issues the challenge as
        ``challenge_parameters(SRP_A)`` does.
        """
        required = ("USERNAME", "DEVICE_KEY", "SRP_A")
        params = self._start(challenge_responses, "challenge_responses", required, self._user_id)
        return self._named(params)

    def challenge_parameters(self, srp_a: str) -> dict[str, str]:
        """DEVICE_PASSWORD_VERIFIER's ChallengeParameters: SALT, SRP_B, SECRET_BLOCK, USERNAME, DEVICE_KEY."""
        return self._named(self._issue(srp_a))

    def _named(self, params: dict[str, str]) -> dict[str, str]:
        params["USERNAME"] = self._username
        params["DEVICE_KEY"] = self._user_id
        return params

    def verify(
        self,
        challenge_responses: Mapping[str, str],
        *,
        now: datetime | None = None,
        max_skew: timedelta = DEFAULT_MAX_SKEW,
    ) -> None:
        """Check DEVICE_PASSWORD_VERIFIER's ChallengeResponses, as ``ServerSRP.verify`` (plus DEVICE_KEY)."""
        self._verify(challenge_responses, now, max_skew, device_key=self._user_id)
