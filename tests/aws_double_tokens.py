"""CognitoDouble's tokens: issuing them, refreshing (REFRESH_TOKEN_AUTH, GetTokensFromRefreshToken), revoking.

Sources: aws_double.py's docstring.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Mapping
from typing import Any

from aws_double_base import (
    INVALID_REFRESH,
    REVOKED_REFRESH,
    Device,
    PoolBase,
    RefreshRecord,
    ServiceError,
    User,
)

_GROUP_KEY_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
REFRESH_FLOWS = ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN")


class TokensMixin(PoolBase):
    """Tokens, and the refresh token's life: bound to its client and device, rotated, revoked."""

    def _fresh(self, user: User) -> dict[str, Any]:
        access = f"double-access.{self._rng.getrandbits(128):032x}"
        self._access_tokens[access] = user
        return {
            "AccessToken": access,
            "ExpiresIn": 3600,
            "TokenType": "Bearer",
            "IdToken": f"double-id.{self._rng.getrandbits(128):032x}",
        }

    def _issue_refresh(self, user: User, client_id: str, device_key: str | None) -> str:
        token = f"double-refresh.{self._rng.getrandbits(128):032x}"
        self._refresh[token] = RefreshRecord(user, client_id, device_key)
        return token

    def _tokens(
        self, user: User, client_id: str, *, new_device: bool, device_key: str | None = None
    ) -> dict[str, Any]:
        """A sign-in's tokens; with device tracking they belong to the device they name."""
        result = self._fresh(user)
        if new_device:
            key = f"{self.region}_{uuid.UUID(int=self._rng.getrandbits(128), version=4)}"
            group = "-" + "".join(self._rng.choice(_GROUP_KEY_ALPHABET) for _ in range(9))
            user.devices[key] = Device(key, group)
            result["NewDeviceMetadata"] = {"DeviceKey": key, "DeviceGroupKey": group}
            device_key = key
        bound = device_key if self.device_tracking else None
        result["RefreshToken"] = self._issue_refresh(user, client_id, bound)
        return {"ChallengeParameters": {}, "AuthenticationResult": result}

    def _live_refresh(self, token: str, client_id: str, device_key: str | None) -> RefreshRecord:
        record = self._refresh.get(token)
        if record is None or record.client_id != client_id:
            raise ServiceError("NotAuthorizedException", INVALID_REFRESH)
        if record.revoked:
            raise ServiceError("NotAuthorizedException", REVOKED_REFRESH)
        if record.valid_until is not None and self.now >= record.valid_until:
            raise ServiceError("RefreshTokenReuseException", "Refresh token has been rotated.")
        if record.device_key is not None and (
            device_key != record.device_key or record.device_key not in record.user.devices
        ):
            # Tracked devices' tokens work only with their DEVICE_KEY, and not once forgotten.
            raise ServiceError("NotAuthorizedException", INVALID_REFRESH)
        return record

    def _refresh_flow(self, client_id: str, params: Mapping[str, str]) -> dict[str, Any]:
        """InitiateAuth (or AdminInitiateAuth) REFRESH_TOKEN_AUTH / REFRESH_TOKEN."""
        if self._clients[client_id].rotation:
            raise ServiceError(
                "InvalidParameterException", "REFRESH_TOKEN_AUTH flow not enabled for this client"
            )
        token = self._required(params, "REFRESH_TOKEN")
        record = self._live_refresh(token, client_id, params.get("DEVICE_KEY"))
        # SECRET_HASH is over the internal username, which the refresh token names.
        self._check_secret_hash(client_id, params, record.user.username)
        # Without rotation, a refresh answers no RefreshToken: the old one stays.
        return {"ChallengeParameters": {}, "AuthenticationResult": self._fresh(record.user)}

    def _check_client_secret(self, client_id: str, sent: object) -> None:
        secret = self._clients[client_id].secret
        if secret is None:
            return
        if not isinstance(sent, str) or not hmac.compare_digest(sent, secret):
            raise ServiceError(
                "NotAuthorizedException", f"Unable to verify client secret for client {client_id}"
            )

    def _get_tokens_from_refresh_token(self, body: Mapping[str, Any]) -> dict[str, Any]:
        client_id = self._client_id(body)
        self._check_client_secret(client_id, body.get("ClientSecret"))
        token = str(body.get("RefreshToken"))
        record = self._live_refresh(token, client_id, body.get("DeviceKey"))
        result = self._fresh(record.user)
        client = self._clients[client_id]
        if client.rotation:
            result["RefreshToken"] = self._issue_refresh(record.user, client_id, record.device_key)
            # Retries inside the grace period still work; a grace of 0 ends the old token now.
            if record.valid_until is None:
                record.valid_until = self.now + client.grace_seconds
        return {"AuthenticationResult": result}

    def _revoke_token(self, body: Mapping[str, Any]) -> dict[str, Any]:
        client_id = self._client_id(body)
        self._check_client_secret(client_id, body.get("ClientSecret"))
        record = self._refresh.get(str(body.get("Token")))
        if record is not None and record.client_id == client_id:
            record.revoked = True
        return {}
