"""Remembered devices: the ConfirmDevice verifier, and DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER.

A device proves itself with SRP exactly as a user does, with the device group
key in the pool name's place, the device key in the user id's place and the
random device password as the password.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime

from .._core.caps import MAX_DEVICE_PASSWORD, MAX_SALT_HEX
from .._core.checks import (
    Problems,
    check_client_id,
    check_device_group_key,
    check_device_key,
    check_optional_secret,
    check_username,
)
from .._core.encoding import b64encode, pad_hex, require_str, utf8_field
from .._core.ephemeral import check_small_a
from .._core.errors import InvalidChallengeError, InvalidInputError, ParameterTypeError
from .._core.group import N
from .._core.srp import private_key, read_public_ephemeral, verifier
from .challenge import parse_srp_challenge
from .claim import Prover, SignedClaim

__all__ = ["DeviceSRP", "DeviceSecret", "device_verifier_config", "new_device_secret"]

# What the official clients draw: 40 bytes for the password, 16 for the salt.
DEVICE_PASSWORD_BYTES = 40
DEVICE_SALT_BYTES = 16


def _check_device_password(device_password: object, field: str = "device_password") -> str:
    text = require_str(device_password, field, max_len=MAX_DEVICE_PASSWORD)
    utf8_field(text, field)
    return text


def _check_fixed_bytes(value: object, field: str, size: int) -> bytes:
    if not isinstance(value, (bytes, bytearray)):
        raise ParameterTypeError(
            f"{field}: expected bytes, got {type(value).__name__}", fields=(field,)
        )
    if len(value) != size:
        raise InvalidInputError(
            f"{field}: expected exactly {size} bytes (what the official clients draw), "
            f"got {len(value)}",
            fields=(field,),
        )
    return bytes(value)


def _check_salt_bytes(value: object, field: str = "salt") -> bytes:
    if not isinstance(value, (bytes, bytearray)):
        raise ParameterTypeError(
            f"{field}: expected bytes, got {type(value).__name__}", fields=(field,)
        )
    if not 1 <= len(value) <= MAX_SALT_HEX // 2:
        raise InvalidInputError(
            f"{field}: expected 1 to {MAX_SALT_HEX // 2} bytes, got {len(value)}", fields=(field,)
        )
    return bytes(value)


def device_verifier_config(
    device_group_key: str, device_key: str, device_password: str, salt: bytes
) -> dict[str, str]:
    """The DeviceSecretVerifierConfig for a device password and salt, as the official clients encode it.

    A pure function: any password string and any salt bytes (another client's
    choice of either) give the ``{"PasswordVerifier": ..., "Salt": ...}`` that
    ConfirmDevice carries. x = H(padHex(salt) || H(DeviceGroupKey || DeviceKey
    || ":" || password)), PasswordVerifier = base64(padHex(g^x mod N)),
    Salt = base64(padHex(salt)), the salt read as an unsigned big-endian number.
    """
    problems = Problems()
    problems.check(check_device_group_key, device_group_key)
    problems.check(check_device_key, device_key)
    problems.check(_check_device_password, device_password, "device_password")
    problems.check(_check_salt_bytes, salt)
    problems.raise_any()
    # padHex of the salt as a number: a leading zero byte is dropped, a set top
    # bit gains a 00 byte. Hashing or sending the raw bytes instead is the
    # classic peer bug that makes the device's second sign-in fail.
    salt_int = int.from_bytes(salt, "big")
    x = private_key(salt_int, device_group_key, device_key, device_password)
    return {
        "PasswordVerifier": b64encode(bytes.fromhex(pad_hex(verifier(x)))),
        "Salt": b64encode(bytes.fromhex(pad_hex(salt_int))),
    }


class DeviceSecret:
    """A new device's password and the DeviceSecretVerifierConfig that ConfirmDevice registers.

    Keep ``password`` (with the device key and group key) to sign in from this
    device later; send ``verifier_config`` as ConfirmDevice's DeviceSecretVerifierConfig.
    """

    __slots__ = ("_device_group_key", "_device_key", "_password", "_password_verifier", "_salt")

    def __init__(
        self,
        device_group_key: str,
        device_key: str,
        password: str,
        password_verifier: str,
        salt: str,
    ) -> None:
        self._device_group_key = device_group_key
        self._device_key = device_key
        self._password = password
        self._password_verifier = password_verifier
        self._salt = salt

    @property
    def device_group_key(self) -> str:
        """The DeviceGroupKey this secret was made for."""
        return self._device_group_key

    @property
    def device_key(self) -> str:
        """The DeviceKey this secret was made for."""
        return self._device_key

    @property
    def password(self) -> str:
        """The device password (base64 text): a secret, store it like a refresh token."""
        return self._password

    @property
    def verifier_config(self) -> dict[str, str]:
        """``{"PasswordVerifier": ..., "Salt": ...}`` for ConfirmDevice (a fresh dict each time)."""
        return {"PasswordVerifier": self._password_verifier, "Salt": self._salt}

    def __repr__(self) -> str:
        return (
            f"DeviceSecret(device_group_key={self._device_group_key!r}, "
            f"device_key={self._device_key!r}, password=<redacted>)"
        )


def new_device_secret(
    device_group_key: str,
    device_key: str,
    *,
    password: bytes | None = None,
    salt: bytes | None = None,
) -> DeviceSecret:
    """A fresh device password and its verifier for ConfirmDevice, as the official clients make them.

    Draws 40 random bytes (their base64 is the device password) and a 16-byte
    salt, then computes the config with ``device_verifier_config``.
    ``password`` and ``salt`` fix those draws for known-answer tests only; a
    verifier another client made from another password or salt is
    ``device_verifier_config``'s to recompute.
    """
    problems = Problems()
    problems.check(check_device_group_key, device_group_key)
    problems.check(check_device_key, device_key)
    if password is not None:
        problems.check(_check_fixed_bytes, password, "password", DEVICE_PASSWORD_BYTES)
    if salt is not None:
        problems.check(_check_fixed_bytes, salt, "salt", DEVICE_SALT_BYTES)
    problems.raise_any()
    password_bytes = secrets.token_bytes(DEVICE_PASSWORD_BYTES) if password is None else password
    salt_bytes = secrets.token_bytes(DEVICE_SALT_BYTES) if salt is None else salt
    device_password = b64encode(bytes(password_bytes))
    config = device_verifier_config(device_group_key, device_key, device_password, salt_bytes)
    return DeviceSecret(
        device_group_key, device_key, device_password, config["PasswordVerifier"], config["Salt"]
    )


class DeviceSRP(Prover):
    """One remembered-device sign-in step: DEVICE_SRP_AUTH, then the DEVICE_PASSWORD_VERIFIER answer.

    ``username`` is the user's USER_ID_FOR_SRP (``UserSRP.device_srp`` fills it
    in). The private ephemeral is drawn fresh here, never reused from the user
    step; ``small_a`` fixes it for known-answer tests only.

    ``user_srp_a`` is the SRP_A the user step of the same sign-in sent
    (``UserSRP.device_srp`` passes it). When given, a device step whose A is
    that one (the user step's a reused, a mistake peers made in 2026) is
    refused with InvalidInputError naming ``small_a``. SRP-6a draws a fresh a
    for every run, and DEVICE_SRP_AUTH is a run of its own: the official
    clients make a new helper, so a new a, for it (amazon-cognito-identity-js
    ``CognitoUser.getDeviceResponse``, @aws-amplify/auth ``handleDeviceSRPAuth``).
    ``srpkit audit`` names the same mistake in a transcript
    (``device_reuses_user_a``).
    """

    __slots__ = (
        "_device_group_key",
        "_device_key",
        "_device_password",
        "_username",
    )

    def __init__(
        self,
        device_group_key: str,
        device_key: str,
        device_password: str,
        username: str,
        client_id: str,
        *,
        client_secret: str | None = None,
        small_a: int | None = None,
        user_srp_a: str | None = None,
    ) -> None:
        problems = Problems()
        problems.check(check_device_group_key, device_group_key)
        problems.check(check_device_key, device_key)
        problems.check(_check_device_password, device_password)
        problems.check(check_username, username)
        problems.check(check_client_id, client_id)
        problems.check(check_optional_secret, client_secret, "client_secret")
        if small_a is not None:
            problems.check(check_small_a, small_a)
        user_big_a = None
        if user_srp_a is not None:
            user_big_a = problems.check(read_public_ephemeral, user_srp_a, "user_srp_a")
        problems.raise_any()
        self._device_group_key = device_group_key
        self._device_key = device_key
        self._device_password = device_password
        self._username = username
        self._init_prover(client_id, client_secret, small_a)
        # Compared as numbers mod N: the user step's SRP_A may be spelled with
        # leading zeros or upper case, or be A + N, and still be this A. The
        # message carries neither a (a secret) nor A: errors end up in logs.
        if user_big_a is not None and user_big_a % N == self._big_a:
            raise InvalidInputError(
                "small_a: the device step must draw its own private ephemeral; "
                "this one is the user step's (the same SRP_A)",
                fields=("small_a",),
            )

    def __repr__(self) -> str:
        return (
            f"DeviceSRP(device_group_key={self._device_group_key!r}, "
            f"device_key={self._device_key!r}, device_password=<redacted>, "
            f"username={self._username!r}, client_id={self._client_id!r}, "
            f"client_secret={'<redacted>' if self._client_secret is not None else None})"
        )

    @property
    def device_key(self) -> str:
        """The DeviceKey this object signs in as."""
        return self._device_key

    def auth_parameters(self) -> dict[str, str]:
        """The ChallengeResponses answering DEVICE_SRP_AUTH: USERNAME, DEVICE_KEY, SRP_A (+ SECRET_HASH)."""
        return self._with_secret_hash(
            {"USERNAME": self._username, "DEVICE_KEY": self._device_key, "SRP_A": self.srp_a},
            self._username,
        )

    def password_claim(
        self, challenge_parameters: Mapping[str, str], *, now: datetime | None = None
    ) -> SignedClaim:
        """The claim's intermediates, the device key it was signed for, and its TIMESTAMP.

        The device signs with its own group key and device key. A DEVICE_KEY in
        the challenge that names another device is refused: the server's B was
        then made from that device's verifier, so no answer could succeed.
        """
        challenge, _ = parse_srp_challenge(challenge_parameters)
        if "DEVICE_KEY" in challenge_parameters:
            sent = challenge_parameters["DEVICE_KEY"]
            if not isinstance(sent, str):
                raise ParameterTypeError(
                    f"DEVICE_KEY: expected str, got {type(sent).__name__}", fields=("DEVICE_KEY",)
                )
            if sent != self._device_key:
                raise InvalidChallengeError(
                    "DEVICE_KEY: the challenge is for another device than this DeviceSRP's "
                    f"{self._device_key!r}",
                    fields=("DEVICE_KEY",),
                )
        return self._sign(
            challenge,
            realm=self._device_group_key,
            user_id=self._device_key,
            password=self._device_password,
            now=now,
        )

    def process_challenge(
        self, challenge_parameters: Mapping[str, str], *, now: datetime | None = None
    ) -> dict[str, str]:
        """The ChallengeResponses answering DEVICE_PASSWORD_VERIFIER for these ChallengeParameters.

        USERNAME (and the SECRET_HASH over it) is this object's username, as
        amazon-cognito-identity-js sends; a USERNAME in the challenge is not used.
        """
        signed = self.password_claim(challenge_parameters, now=now)
        return self._answer(
            signed, challenge_parameters, username=self._username, device_key=self._device_key
        )
