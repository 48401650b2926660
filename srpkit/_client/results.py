"""What a sign-in hands back: tokens or a pending challenge, a confirmed device, a caller's answer.

These are plain values shared by the synchronous (``srpkit.aws``) and the
asynchronous (``srpkit.aio``) drivers; none of them does I/O. Their reprs never
show a token, a Session or a device password.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = [
    "Answer",
    "AuthResult",
    "Challenge",
    "ConfirmedDevice",
    "DeviceCredentials",
]


class DeviceCredentials(Protocol):
    """What signing in with a remembered device needs: a ConfirmedDevice (or a DeviceSecret)."""

    @property
    def device_key(self) -> str: ...  # pragma: no cover - a protocol

    @property
    def device_group_key(self) -> str: ...  # pragma: no cover - a protocol

    @property
    def password(self) -> str: ...  # pragma: no cover - a protocol


@dataclass(frozen=True)
class ConfirmedDevice:
    """A device registered with ConfirmDevice: keep all three strings to sign in with it later.

    ``password`` is the device's secret (store it like a refresh token). When
    ``user_confirmation_necessary`` is true (the pool remembers devices only on
    the user's say-so), call ``client.update_device_status(AccessToken=...,
    DeviceKey=..., DeviceRememberedStatus="remembered")`` if the user agrees;
    until then Cognito will not ask this device to prove itself.
    """

    device_key: str
    device_group_key: str
    password: str = field(repr=False)
    user_confirmation_necessary: bool = False

    def __repr__(self) -> str:
        return (
            f"ConfirmedDevice(device_key={self.device_key!r}, "
            f"device_group_key={self.device_group_key!r}, password=<redacted>, "
            f"user_confirmation_necessary={self.user_confirmation_necessary})"
        )


@dataclass(frozen=True)
class Challenge:
    """A challenge srpkit cannot answer itself, as the ``answer`` callable of a journey sees it.

    ``username`` is the name every later step must carry (USER_ID_FOR_SRP once
    Cognito has sent it, the name typed before that); srpkit adds it, and the
    SECRET_HASH over it, to what the callable returns.
    """

    challenge_name: str
    challenge_parameters: dict[str, str]
    session: str | None
    available_challenges: tuple[str, ...] = ()
    username: str = ""

    def __repr__(self) -> str:
        # The Session is a credential for the rest of the sign-in; parameters may be personal data.
        return (
            f"Challenge(challenge_name={self.challenge_name!r}, "
            f"challenge_parameters=<{len(self.challenge_parameters)} keys>, session=<redacted>, "
            f"username={self.username!r})"
        )


@dataclass(frozen=True)
class Answer:
    """A caller's answer that also replaces the Session (MFA_SETUP: VerifySoftwareToken returns a new one).

    Return a plain mapping from ``answer`` when the Session of the challenge
    itself is the one to send back; return ``Answer(responses, session=...)``
    when another call of yours produced the Session to send.
    """

    responses: Mapping[str, str]
    session: str | None = None

    def __repr__(self) -> str:
        return f"Answer(responses=<{len(self.responses)} keys>, session=<redacted>)"


@dataclass(frozen=True)
class AuthResult:
    """How a sign-in (or a refresh) ended: tokens (``authentication_result``), or a challenge for the caller.

    When ``signed_in``, ``authentication_result`` is Cognito's AuthenticationResult
    (AccessToken, IdToken, RefreshToken, ExpiresIn, TokenType, maybe
    NewDeviceMetadata). Otherwise ``challenge_name``, ``session`` and
    ``challenge_parameters`` are the pending challenge (SOFTWARE_TOKEN_MFA,
    NEW_PASSWORD_REQUIRED, CUSTOM_CHALLENGE, ...); its USERNAME (and SECRET_HASH)
    must be ``username``. ``device_forgotten`` is true when Cognito no longer knew
    the device passed in and srpkit signed in again without it (as the official
    clients do): forget the stored device, and confirm the new one in
    ``new_device_metadata`` if there is one.
    """

    authentication_result: dict[str, Any] | None = None
    challenge_name: str | None = None
    session: str | None = None
    challenge_parameters: dict[str, str] = field(default_factory=dict)
    available_challenges: tuple[str, ...] = ()
    username: str | None = None  # USER_ID_FOR_SRP: the user's Cognito username
    device_forgotten: bool = False

    @property
    def signed_in(self) -> bool:
        """Whether the sign-in finished with tokens."""
        return self.authentication_result is not None

    @property
    def new_device_metadata(self) -> dict[str, str] | None:
        """NewDeviceMetadata (DeviceKey, DeviceGroupKey) when the pool tracks a new device."""
        if self.authentication_result is None:
            return None
        meta = self.authentication_result.get("NewDeviceMetadata")
        return dict(meta) if isinstance(meta, Mapping) else None

    def __repr__(self) -> str:
        # Tokens and the Session are credentials; challenge parameters may be personal data.
        if self.authentication_result is not None:
            return (
                f"AuthResult(signed_in=True, authentication_result=<redacted>, "
                f"new_device={self.new_device_metadata is not None}, username={self.username!r}, "
                f"device_forgotten={self.device_forgotten})"
            )
        return (
            f"AuthResult(signed_in=False, challenge_name={self.challenge_name!r}, "
            f"session=<redacted>, challenge_parameters=<{len(self.challenge_parameters)} keys>, "
            f"username={self.username!r})"
        )
