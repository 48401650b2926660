"""A tiny in-process user pool over ``srpkit.server``: the API calls an SRP sign-in makes, nothing else.

It answers InitiateAuth (USER_SRP_AUTH), RespondToAuthChallenge
(PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER) and
ConfirmDevice with the request and response shapes of the Cognito API, so
that ``srpkit demo`` and the tests can drive real clients through a whole
sign-in. Every device is remembered (as with device tracking set to
"Always"). Tokens are unsigned placeholders, good only for this pool.
"""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._errors import SRPKitError
from ._server import VerificationError
from ._validate import pool_name
from .server import DeviceServerSRP, ServerSRP, make_verifier

__all__ = ["PoolUser", "ServiceError", "UserPool"]


class ServiceError(Exception):
    """An API error as Cognito would return it (``code``, ``message``), plus srpkit's diagnosis.

    ``detail`` is the VerificationError behind a NotAuthorizedException, which
    Cognito itself never reveals.
    """

    def __init__(self, code: str, message: str, detail: VerificationError | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.detail = detail


@dataclass
class PoolUser:
    """One user: the stored verifier, the names it signs in with, its remembered devices."""

    username: str
    salt: str
    verifier: str
    aliases: tuple[str, ...] = ()
    # device key -> (device group key, DeviceSecretVerifierConfig or None until confirmed)
    devices: dict[str, tuple[str, dict[str, str] | None]] = field(default_factory=dict)


@dataclass
class _Pending:
    user: PoolUser
    server: ServerSRP | DeviceServerSRP | None
    next_challenge: str
    device_key: str | None = None


def _b64url_json(value: Mapping[str, Any]) -> str:
    raw = json.dumps(value, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class UserPool:
    """An in-memory user pool with one app client (optionally with a secret)."""

    def __init__(self, pool_id: str, client_id: str, *, client_secret: str | None = None) -> None:
        pool_name(pool_id)
        self.pool_id = pool_id
        self.client_id = client_id
        self._client_secret = client_secret
        self._users: dict[str, PoolUser] = {}
        self._sessions: dict[str, _Pending] = {}
        self._access_tokens: dict[str, PoolUser] = {}

    def __repr__(self) -> str:
        return f"UserPool(pool_id={self.pool_id!r}, client_id={self.client_id!r}, users={len(self._users)})"

    # -- administration ---------------------------------------------------------------
    def add_user(self, username: str, password: str, *, aliases: tuple[str, ...] = ()) -> PoolUser:
        """Create a confirmed user; the pool keeps only the salt and verifier."""
        salt, verifier = make_verifier(self.pool_id, username, password)
        user = PoolUser(username, salt, verifier, tuple(aliases))
        self._users[username] = user
        return user

    def user(self, name: str) -> PoolUser:
        """The user a sign-in name (username or alias) refers to."""
        for user in self._users.values():
            if name == user.username or name in user.aliases:
                return user
        raise ServiceError("UserNotFoundException", "User does not exist.")

    # -- the API ------------------------------------------------------------------------
    def handle(self, operation: str, request: Mapping[str, Any]) -> dict[str, Any]:
        """Answer one API call (``operation`` as in X-Amz-Target) or raise ServiceError."""
        handlers = {
            "InitiateAuth": self._initiate_auth,
            "RespondToAuthChallenge": self._respond,
            "ConfirmDevice": self._confirm_device,
        }
        handler = handlers.get(operation)
        if handler is None:
            raise ServiceError("InvalidAction", f"{operation} is not supported by this pool")
        try:
            return handler(request)
        except VerificationError as exc:
            raise ServiceError(
                "NotAuthorizedException", "Incorrect username or password.", exc
            ) from None

    def _check_client(self, request: Mapping[str, Any]) -> None:
        if request.get("ClientId") != self.client_id:
            raise ServiceError("ResourceNotFoundException", "User pool client does not exist.")

    def _session(self, pending: _Pending) -> str:
        token = secrets.token_urlsafe(48)
        self._sessions[token] = pending
        return token

    def _secret_args(self) -> dict[str, Any]:
        if self._client_secret is None:
            return {}
        return {"client_id": self.client_id, "client_secret": self._client_secret}

    def _initiate_auth(self, request: Mapping[str, Any]) -> dict[str, Any]:
        self._check_client(request)
        if request.get("AuthFlow") != "USER_SRP_AUTH":
            raise ServiceError("InvalidParameterException", "Only USER_SRP_AUTH is supported.")
        params = request.get("AuthParameters") or {}
        user = self.user(str(params.get("USERNAME", "")))
        server = ServerSRP(
            self.pool_id,
            user.username,
            user.salt,
            user.verifier,
            aliases=user.aliases,
            **self._secret_args(),
        )
        challenge = server.start(params)
        return {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": challenge,
            "Session": self._session(_Pending(user, server, "PASSWORD_VERIFIER")),
        }

    def _respond(self, request: Mapping[str, Any]) -> dict[str, Any]:
        self._check_client(request)
        name = request.get("ChallengeName")
        # A session serves one answer, as Cognito's do.
        pending = self._sessions.pop(str(request.get("Session")), None)
        if pending is None or pending.next_challenge != name:
            raise ServiceError("NotAuthorizedException", "Invalid session for the user.")
        responses = request.get("ChallengeResponses") or {}
        if name == "DEVICE_SRP_AUTH":
            return self._device_srp_auth(pending, responses)
        assert pending.server is not None
        pending.server.verify(responses)
        if name == "PASSWORD_VERIFIER":
            device_key = responses.get("DEVICE_KEY")
            remembered = pending.user.devices.get(str(device_key))
            if remembered is not None and remembered[1] is not None:
                return {
                    "ChallengeName": "DEVICE_SRP_AUTH",
                    "ChallengeParameters": {},
                    "Session": self._session(
                        _Pending(pending.user, None, "DEVICE_SRP_AUTH", str(device_key))
                    ),
                }
            return {"AuthenticationResult": self._tokens(pending.user, new_device=True)}
        return {"AuthenticationResult": self._tokens(pending.user, new_device=False)}

    def _device_srp_auth(self, pending: _Pending, responses: Mapping[str, Any]) -> dict[str, Any]:
        if responses.get("DEVICE_KEY") != pending.device_key:
            raise ServiceError("ResourceNotFoundException", "Device does not exist.")
        assert pending.device_key is not None
        group_key, config = pending.user.devices[pending.device_key]
        assert config is not None
        server = DeviceServerSRP(
            pending.user.username,
            group_key,
            pending.device_key,
            config,
            aliases=pending.user.aliases,
            **self._secret_args(),
        )
        challenge = server.start(responses)
        return {
            "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
            "ChallengeParameters": challenge,
            "Session": self._session(
                _Pending(pending.user, server, "DEVICE_PASSWORD_VERIFIER", pending.device_key)
            ),
        }

    def _confirm_device(self, request: Mapping[str, Any]) -> dict[str, Any]:
        user = self._access_tokens.get(str(request.get("AccessToken")))
        if user is None:
            raise ServiceError("NotAuthorizedException", "Invalid Access Token")
        device_key = str(request.get("DeviceKey"))
        if device_key not in user.devices:
            raise ServiceError("ResourceNotFoundException", "Device does not exist.")
        config = request.get("DeviceSecretVerifierConfig")
        if not isinstance(config, Mapping):
            raise ServiceError(
                "InvalidParameterException", "DeviceSecretVerifierConfig is required."
            )
        group_key = user.devices[device_key][0]
        # Check the config now, as Cognito does, rather than at the next sign-in.
        try:
            DeviceServerSRP(user.username, group_key, device_key, config)
        except SRPKitError as exc:
            raise ServiceError("InvalidParameterException", str(exc)) from None
        user.devices[device_key] = (group_key, dict(config))
        return {"UserConfirmationNecessary": False}

    def _tokens(self, user: PoolUser, *, new_device: bool) -> dict[str, Any]:
        claims = {
            "sub": str(uuid.uuid5(uuid.NAMESPACE_URL, user.username)),
            "username": user.username,
            "client_id": self.client_id,
            "iss": f"srpkit-demo:{self.pool_id}",
            "exp": 4102444800,
            "iat": 0,
        }
        header = _b64url_json({"alg": "none", "typ": "JWT"})
        access = f"{header}.{_b64url_json({**claims, 'token_use': 'access', 'jti': secrets.token_hex(8)})}."
        ident = f"{header}.{_b64url_json({**claims, 'token_use': 'id', 'cognito:username': user.username})}."
        self._access_tokens[access] = user
        result: dict[str, Any] = {
            "AccessToken": access,
            "IdToken": ident,
            "RefreshToken": secrets.token_urlsafe(32),
            "ExpiresIn": 3600,
            "TokenType": "Bearer",
        }
        if new_device:
            region = self.pool_id.split("_", 1)[0]
            device_key = f"{region}_{uuid.uuid4()}"
            group_key = "-" + secrets.token_urlsafe(7)
            user.devices[device_key] = (group_key, None)
            result["NewDeviceMetadata"] = {"DeviceKey": device_key, "DeviceGroupKey": group_key}
        return result
