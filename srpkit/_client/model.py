"""What the cognito-idp API model (2016-04-18) and its documentation say a request may carry.

The string shapes, the enums of flows and challenges, and the parameters each
flow and challenge requires, in one place; tests compare them with the model
(a copy of which is in tests/data/reference).
"""

from __future__ import annotations

from typing import NamedTuple

from .._core.caps import MAX_SECRET_HASH, MAX_SESSION, MAX_STRING, MIN_SESSION

__all__ = [
    "AUTH_FLOWS",
    "CHALLENGE_NAMES",
    "NOT_FOR_INITIATE_AUTH",
    "NOT_FOR_RESPOND",
    "PASSWORD_VERIFIER_RESPONSES",
    "REQUIRED_AUTH_PARAMETERS",
    "REQUIRED_CHALLENGE_RESPONSES",
    "SESSIONLESS_CHALLENGES",
    "SHAPES",
    "STRUCT_MEMBERS",
    "StringShape",
]


class StringShape(NamedTuple):
    """A string shape of the API model: length bounds and (Java) pattern, if any."""

    min_len: int
    max_len: int
    pattern: str | None


# Constraints of the cognito-idp 2016-04-18 API model (botocore's service model).
# ClientIdType, DeviceKeyType, UserPoolIdType and UsernameType are enforced by
# srpkit._core.checks; tests compare checks both modules against the model.
SHAPES: dict[str, StringShape] = {
    "SessionType": StringShape(MIN_SESSION, MAX_SESSION, None),
    "StringType": StringShape(0, MAX_STRING, None),
    "SecretHashType": StringShape(1, MAX_SECRET_HASH, r"[\w+=/]+"),
}
AUTH_FLOWS: tuple[str, ...] = (
    "USER_SRP_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "CUSTOM_AUTH",
    "ADMIN_NO_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "ADMIN_USER_PASSWORD_AUTH",
    "USER_AUTH",
)
CHALLENGE_NAMES: tuple[str, ...] = (
    "SMS_MFA",
    "EMAIL_OTP",
    "SOFTWARE_TOKEN_MFA",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "PASSWORD_VERIFIER",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "ADMIN_NO_SRP_AUTH",
    "NEW_PASSWORD_REQUIRED",
    "SMS_OTP",
    "PASSWORD",
    "WEB_AUTHN",
    "PASSWORD_SRP",
)
# Members of the two structure shapes the bodies may carry (botocore refuses others).
STRUCT_MEMBERS = {
    "AnalyticsMetadata": ("AnalyticsEndpointId",),
    "UserContextData": ("IpAddress", "EncodedData"),
}
# The model's enums admit these, but the operation documentation says they are
# not valid there (ADMIN_* belong to AdminInitiateAuth / AdminRespondToAuthChallenge).
NOT_FOR_INITIATE_AUTH = frozenset({"ADMIN_NO_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH"})
NOT_FOR_RESPOND = frozenset({"ADMIN_NO_SRP_AUTH"})

# What the documentation requires per flow / challenge. Only USERNAME is
# demanded of challenges not listed: every challenge response carries it.
REQUIRED_AUTH_PARAMETERS: dict[str, tuple[str, ...]] = {
    "USER_SRP_AUTH": ("USERNAME", "SRP_A"),
    "USER_PASSWORD_AUTH": ("USERNAME", "PASSWORD"),
    "CUSTOM_AUTH": ("USERNAME",),
    "USER_AUTH": ("USERNAME",),
    "REFRESH_TOKEN_AUTH": ("REFRESH_TOKEN",),
    "REFRESH_TOKEN": ("REFRESH_TOKEN",),
}
PASSWORD_VERIFIER_RESPONSES = (
    "USERNAME",
    "PASSWORD_CLAIM_SECRET_BLOCK",
    "TIMESTAMP",
    "PASSWORD_CLAIM_SIGNATURE",
)
REQUIRED_CHALLENGE_RESPONSES: dict[str, tuple[str, ...]] = {
    "PASSWORD_VERIFIER": PASSWORD_VERIFIER_RESPONSES,
    "DEVICE_SRP_AUTH": ("USERNAME", "DEVICE_KEY", "SRP_A"),
    "DEVICE_PASSWORD_VERIFIER": (*PASSWORD_VERIFIER_RESPONSES, "DEVICE_KEY"),
    "SELECT_CHALLENGE": ("USERNAME", "ANSWER"),
}
# Measured against a real pool (ministackorg/ministack#1758; pycognito#78 shows the same
# response): InitiateAuth USER_SRP_AUTH answers PASSWORD_VERIFIER with no Session, and the
# answer goes back without one. Whether the device steps carry one is not measured, so
# they are accepted both ways. Every other challenge is asked with a Session.
SESSIONLESS_CHALLENGES = frozenset(
    {"PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"}
)
