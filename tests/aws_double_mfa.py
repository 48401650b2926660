"""CognitoDouble's challenges after the password: MFA, SELECT_MFA_TYPE, MFA_SETUP, NEW_PASSWORD_REQUIRED.

Also AssociateSoftwareToken and VerifySoftwareToken, and ``totp``: RFC 6238
(HMAC-SHA-1, 30-second steps, 6 digits), which tests/client/test_aws_double.py
checks against the RFC's own Appendix B vectors. Sources: aws_double.py's docstring.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from aws_double_base import (
    CODE_MISMATCH,
    CONFIRMED,
    FORCE_CHANGE_PASSWORD,
    INVALID_SESSION,
    TOTP_SETUP_MISMATCH,
    Message,
    ServiceError,
    Step,
    User,
)
from aws_double_tokens import TokensMixin
from reference import cognito_srp as ref

TOTP_STEP = 30
_ATTRIBUTE_PREFIX = "userAttributes."
_SECRET_CODE_BYTES = 32  # base32 of 32 bytes, unpadded: 52 characters


def totp(secret: str, at: float, *, digits: int = 6, offset: int = 0) -> str:
    """RFC 6238 TOTP of a base32 ``secret`` at Unix time ``at``, ``offset`` steps away."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int(at // TOTP_STEP) + offset
    mac = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    start = mac[-1] & 0x0F
    value = int.from_bytes(mac[start : start + 4], "big") & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def _compact(value: Any) -> str:
    # Cognito sends these ChallengeParameters as JSON text inside the JSON answer.
    return json.dumps(value, separators=(",", ":"))


def _masked_phone(phone: str) -> str:
    return "+" + "*" * max(len(phone) - 5, 0) + phone[-4:]


def _masked_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain[:1]}***"


class MfaMixin(TokensMixin):
    """What follows a correct password for a user without a remembered device."""

    def new_totp_secret(self) -> str:
        """A SecretCode as AssociateSoftwareToken hands out: base32, unpadded."""
        raw = self._rng.randbytes(_SECRET_CODE_BYTES)
        return base64.b32encode(raw).decode().rstrip("=")

    # -- asking -----------------------------------------------------------------------
    def _ask(
        self, challenge: str, user: User, client_id: str, params: dict[str, str], *, admin: bool
    ) -> tuple[Step, dict[str, Any]]:
        step = Step(challenge, client_id, user, admin=admin)
        answer = {
            "ChallengeName": challenge,
            "ChallengeParameters": params,
            "Session": self._file_session(step),
        }
        return step, answer

    def _after_password(self, user: User, client_id: str, *, admin: bool) -> dict[str, Any]:
        """The answer to a correct PASSWORD_VERIFIER that did not name a remembered device."""
        if user.status == FORCE_CHANGE_PASSWORD:
            missing = [n for n in self.required_attributes if n not in user.attributes]
            params = {
                "USER_ID_FOR_SRP": user.username,
                "requiredAttributes": _compact([_ATTRIBUTE_PREFIX + n for n in missing]),
                "userAttributes": _compact(user.attributes),
            }
            return self._ask("NEW_PASSWORD_REQUIRED", user, client_id, params, admin=admin)[1]
        return self._mfa_or_tokens(user, client_id, admin=admin)

    def _enabled_mfa(self, user: User) -> list[str]:
        return [] if self.mfa_configuration == "OFF" else list(user.mfa)

    def _mfa_or_tokens(self, user: User, client_id: str, *, admin: bool) -> dict[str, Any]:
        enabled = self._enabled_mfa(user)
        if user.preferred_mfa in enabled:
            return self._ask_mfa(str(user.preferred_mfa), user, client_id, admin=admin)
        if len(enabled) == 1:
            return self._ask_mfa(enabled[0], user, client_id, admin=admin)
        if enabled:
            params = {"MFAS_CAN_CHOOSE": _compact(enabled)}
            return self._ask("SELECT_MFA_TYPE", user, client_id, params, admin=admin)[1]
        if self.mfa_configuration == "ON":
            params = {"MFAS_CAN_SETUP": _compact(["SOFTWARE_TOKEN_MFA"])}
            return self._ask("MFA_SETUP", user, client_id, params, admin=admin)[1]
        return self._tokens(user, client_id, new_device=self.device_tracking)

    def _ask_mfa(self, kind: str, user: User, client_id: str, *, admin: bool) -> dict[str, Any]:
        params: dict[str, str] = {}
        code = ""
        if kind in ("SMS_MFA", "EMAIL_OTP"):
            medium, attribute = ("SMS", "phone_number") if kind == "SMS_MFA" else ("EMAIL", "email")
            destination = user.attributes[attribute]
            code = f"{self._rng.randrange(10**6):06d}"
            self.outbox.append(Message(medium, destination, user.username, code))
            masked = _masked_phone if medium == "SMS" else _masked_email
            params = {
                "CODE_DELIVERY_DELIVERY_MEDIUM": medium,
                "CODE_DELIVERY_DESTINATION": masked(destination),
            }
        step, answer = self._ask(kind, user, client_id, params, admin=admin)
        step.code = code
        return answer

    # -- answers ----------------------------------------------------------------------
    def _answer_mfa(
        self,
        name: str,
        client_id: str,
        responses: Mapping[str, str],
        session: str | None,
        *,
        admin: bool,
    ) -> dict[str, Any]:
        step = self._session_step(session, name, client_id, admin=admin)
        self._check_later_step(step, responses)
        code = self._required(responses, f"{name}_CODE")
        if name == "SOFTWARE_TOKEN_MFA":
            ok = self._totp_matches(str(step.user.totp_secret), code)
        else:
            ok = hmac.compare_digest(code, step.code)
        if not ok:
            # The Session stays: the user may type the code again.
            raise ServiceError("CodeMismatchException", CODE_MISMATCH)
        self._spend(step)
        return self._tokens(step.user, client_id, new_device=self.device_tracking)

    def _totp_matches(self, secret: str, code: str) -> bool:
        # One step either side, for the clock of the user's authenticator.
        return any(hmac.compare_digest(code, totp(secret, self.now, offset=d)) for d in (-1, 0, 1))

    def _answer_select(
        self, client_id: str, responses: Mapping[str, str], session: str | None, *, admin: bool
    ) -> dict[str, Any]:
        step = self._session_step(session, "SELECT_MFA_TYPE", client_id, admin=admin)
        self._check_later_step(step, responses)
        choice = self._required(responses, "ANSWER")
        if choice not in self._enabled_mfa(step.user):
            raise ServiceError("InvalidParameterException", f"ANSWER: {choice} cannot be chosen")
        self._spend(step)
        return self._ask_mfa(choice, step.user, client_id, admin=admin)

    def _answer_new_password(
        self, client_id: str, responses: Mapping[str, str], session: str | None, *, admin: bool
    ) -> dict[str, Any]:
        step = self._session_step(session, "NEW_PASSWORD_REQUIRED", client_id, admin=admin)
        self._check_later_step(step, responses)
        password = self._required(responses, "NEW_PASSWORD")
        given = {
            k[len(_ATTRIBUTE_PREFIX) :]: v
            for k, v in responses.items()
            if k.startswith(_ATTRIBUTE_PREFIX)
        }
        user = step.user
        for name in self.required_attributes:
            if name not in user.attributes and not given.get(name):
                raise ServiceError(
                    "InvalidParameterException", f"Invalid attributes given, {name} is missing"
                )
        self._spend(step)
        user.attributes.update(given)
        user.salt = self._rng.getrandbits(128)
        user.verifier = ref.verifier(
            ref.private_x(user.salt, self._pool_name, user.username, password)
        )
        user.status = CONFIRMED
        return self._mfa_or_tokens(user, client_id, admin=admin)

    def _answer_mfa_setup(
        self, client_id: str, responses: Mapping[str, str], session: str | None, *, admin: bool
    ) -> dict[str, Any]:
        step = self._session_step(session, "MFA_SETUP", client_id, admin=admin)
        if not step.verified:
            raise ServiceError("NotAuthorizedException", INVALID_SESSION)
        self._check_later_step(step, responses)
        self._spend(step)
        return self._tokens(step.user, client_id, new_device=self.device_tracking)

    # -- AssociateSoftwareToken / VerifySoftwareToken ---------------------------------
    def _access_user(self, token: object) -> User:
        user = self._access_tokens.get(str(token))
        if user is None:
            raise ServiceError("NotAuthorizedException", "Invalid Access Token")
        return user

    def _setup_step(self, session: str | None) -> Step:
        step = self._by_session.get(session or "")
        if step is None or step.challenge != "MFA_SETUP":
            raise ServiceError("NotAuthorizedException", INVALID_SESSION)
        return self._session_step(session, "MFA_SETUP", None, admin=step.admin)

    def _associate_software_token(self, body: Mapping[str, Any]) -> dict[str, Any]:
        secret = self.new_totp_secret()
        if "AccessToken" in body:
            self._access_user(body["AccessToken"]).totp_secret = None
            self._pending_totp[str(body["AccessToken"])] = secret
            return {"SecretCode": secret}
        step = self._setup_step(body.get("Session"))
        # Each answer in the set-up hands out a new Session and retires the one it was sent.
        self._spend(step)
        step.secret, step.verified = secret, False
        return {"SecretCode": secret, "Session": self._file_session(step)}

    def _verify_software_token(self, body: Mapping[str, Any]) -> dict[str, Any]:
        code = str(body.get("UserCode"))
        if "AccessToken" in body:
            user = self._access_user(body["AccessToken"])
            secret = self._pending_totp.get(str(body["AccessToken"]))
            if secret is None or not self._totp_matches(secret, code):
                raise ServiceError("EnableSoftwareTokenMFAException", TOTP_SETUP_MISMATCH)
            self._enable_totp(user, secret)
            return {"Status": "SUCCESS"}
        step = self._setup_step(body.get("Session"))
        if not step.secret or not self._totp_matches(step.secret, code):
            raise ServiceError("EnableSoftwareTokenMFAException", TOTP_SETUP_MISMATCH)
        self._spend(step)
        self._enable_totp(step.user, step.secret)
        step.verified = True
        return {"Status": "SUCCESS", "Session": self._file_session(step)}

    @staticmethod
    def _enable_totp(user: User, secret: str) -> None:
        user.totp_secret = secret
        if "SOFTWARE_TOKEN_MFA" not in user.mfa:
            user.mfa = (*user.mfa, "SOFTWARE_TOKEN_MFA")
