"""What the cognito-idp API model (2016-04-18) and its documentation say a request may carry.

The string shapes, the enums of flows and challenges, and the parameters each
flow and challenge requires, in one place; tests compare them with the model
(a copy of which is in tests/data/reference).
"""

from __future__ import annotations

from typing import NamedTuple

from .._core.caps import MAX_SECRET_HASH, MAX_SESSION, MAX_STRING, MAX_TOKEN, MIN_SESSION

__all__ = [
    "ADDED_BY_SRPKIT",
    "ANSWER_SHAPES",
    "AUTH_FLOWS",
    "CHALLENGE_NAMES",
    "CHOICE_ANSWERS",
    "LIST_MEMBERS",
    "NOT_FOR_ADMIN_INITIATE_AUTH",
    "NOT_FOR_ADMIN_RESPOND",
    "NOT_FOR_INITIATE_AUTH",
    "NOT_FOR_RESPOND",
    "OPTIONAL_CHALLENGE_RESPONSES",
    "PASSWORD_VERIFIER_RESPONSES",
    "REFRESH_FLOWS",
    "REQUIRED_AUTH_PARAMETERS",
    "REQUIRED_CHALLENGE_RESPONSES",
    "REQUIRED_MEMBERS",
    "SESSIONLESS_CHALLENGES",
    "SHAPES",
    "SRP_CHALLENGES",
    "STRUCT_MEMBERS",
    "USER_ATTRIBUTE_PREFIX",
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
    # The model gives TokenModelType no length: MAX_TOKEN bounds it.
    "TokenModelType": StringShape(0, MAX_TOKEN, r"[A-Za-z0-9-_=.]+"),
    # ChallengeResponses values are StringType; the codes and attributes in them are the
    # model's shapes for the same values elsewhere (VerifySoftwareToken's UserCode, the
    # ConfirmationCode of ConfirmSignUp, AttributeType's Name and Value).
    "ConfirmationCodeType": StringShape(1, 2048, r"[\S]+"),
    "SoftwareTokenMFAUserCodeType": StringShape(6, 6, r"[0-9]+"),
    # Its pattern is Java's [\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+, which re cannot spell:
    # answers.py checks the same Unicode categories.
    "AttributeNameType": StringShape(1, 32, None),
    "AttributeValueType": StringShape(0, 2048, None),
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
    # The Admin operations' ContextDataType, and the HttpHeader of its HttpHeaders list.
    "ContextData": ("IpAddress", "ServerName", "ServerPath", "HttpHeaders", "EncodedData"),
    "HttpHeader": ("headerName", "headerValue"),
}
REQUIRED_MEMBERS = {"ContextData": ("IpAddress", "ServerName", "ServerPath", "HttpHeaders")}
# Members that are lists of a structure (by that structure's STRUCT_MEMBERS key); every
# other member is a StringType.
LIST_MEMBERS = {"HttpHeaders": "HttpHeader"}
# The model's enums admit these, but the operation documentation says they are
# not valid there (ADMIN_* belong to AdminInitiateAuth / AdminRespondToAuthChallenge).
NOT_FOR_INITIATE_AUTH = frozenset({"ADMIN_NO_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH"})
NOT_FOR_RESPOND = frozenset({"ADMIN_NO_SRP_AUTH"})
# AdminInitiateAuth documents USER_AUTH, USER_SRP_AUTH, REFRESH_TOKEN(_AUTH), CUSTOM_AUTH and
# ADMIN_USER_PASSWORD_AUTH (ADMIN_NO_SRP_AUTH is its legacy name); USER_PASSWORD_AUTH is
# InitiateAuth's. AdminRespondToAuthChallenge documented ADMIN_NO_SRP_AUTH's answer.
NOT_FOR_ADMIN_INITIATE_AUTH = frozenset({"USER_PASSWORD_AUTH"})
NOT_FOR_ADMIN_RESPOND: frozenset[str] = frozenset()
# The flows that trade a refresh token for new tokens.
REFRESH_FLOWS = ("REFRESH_TOKEN_AUTH", "REFRESH_TOKEN")

# What the documentation (InitiateAuth, AdminInitiateAuth) requires per flow.
REQUIRED_AUTH_PARAMETERS: dict[str, tuple[str, ...]] = {
    "USER_SRP_AUTH": ("USERNAME", "SRP_A"),
    "USER_PASSWORD_AUTH": ("USERNAME", "PASSWORD"),
    "ADMIN_USER_PASSWORD_AUTH": ("USERNAME", "PASSWORD"),
    "ADMIN_NO_SRP_AUTH": ("USERNAME", "PASSWORD"),
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
# The ChallengeResponses each challenge requires, as the RespondToAuthChallenge and
# AdminRespondToAuthChallenge documentation lists them (the same text for both); every
# one carries USERNAME. SECRET_HASH (with a client secret) and DEVICE_KEY (a remembered
# device) go with any of them. MFA_SETUP answers with USERNAME only: its Session is the
# one VerifySoftwareToken returned. ADMIN_NO_SRP_AUTH's (PASSWORD) is from the older
# AdminRespondToAuthChallenge documentation; RespondToAuthChallenge refuses the name.
REQUIRED_CHALLENGE_RESPONSES: dict[str, tuple[str, ...]] = {
    "SMS_MFA": ("USERNAME", "SMS_MFA_CODE"),
    "EMAIL_OTP": ("USERNAME", "EMAIL_OTP_CODE"),
    "SOFTWARE_TOKEN_MFA": ("USERNAME", "SOFTWARE_TOKEN_MFA_CODE"),
    "SELECT_MFA_TYPE": ("USERNAME", "ANSWER"),
    "MFA_SETUP": ("USERNAME",),
    "PASSWORD_VERIFIER": PASSWORD_VERIFIER_RESPONSES,
    "CUSTOM_CHALLENGE": ("USERNAME", "ANSWER"),
    "SELECT_CHALLENGE": ("USERNAME", "ANSWER"),
    "DEVICE_SRP_AUTH": ("USERNAME", "DEVICE_KEY", "SRP_A"),
    "DEVICE_PASSWORD_VERIFIER": (*PASSWORD_VERIFIER_RESPONSES, "DEVICE_KEY"),
    "ADMIN_NO_SRP_AUTH": ("USERNAME", "PASSWORD"),
    "NEW_PASSWORD_REQUIRED": ("USERNAME", "NEW_PASSWORD"),
    "SMS_OTP": ("USERNAME", "SMS_OTP_CODE"),
    "PASSWORD": ("USERNAME", "PASSWORD"),
    "WEB_AUTHN": ("USERNAME", "CREDENTIAL"),
    "PASSWORD_SRP": ("USERNAME", "SRP_A"),
}
# The challenges answered by choosing (ANSWER): each choice and the responses it adds.
# SELECT_CHALLENGE offers PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP and WEB_AUTHN and is
# completed in the same answer for the first two and the last. SELECT_MFA_TYPE's choices
# are the names Cognito lists in MFAS_CAN_CHOOSE and Amplify v6 answers with (mapMfaType,
# packages/auth/src/providers/cognito/utils/signInHelpers.ts); the documentation's
# "EMAIL_MFA" is no ChallengeNameType, and no client sends it.
CHOICE_ANSWERS: dict[str, dict[str, tuple[str, ...]]] = {
    "SELECT_CHALLENGE": {
        "PASSWORD": ("PASSWORD",),
        "PASSWORD_SRP": ("SRP_A",),
        "EMAIL_OTP": (),
        "SMS_OTP": (),
        "WEB_AUTHN": ("CREDENTIAL",),
    },
    "SELECT_MFA_TYPE": {"SMS_MFA": (), "SOFTWARE_TOKEN_MFA": (), "EMAIL_OTP": ()},
}
# Responses a caller may add beyond the required ones (srpkit.challenge_responses refuses
# any other key): MFA_SETUP's EMAIL sets up email MFA (Amplify v6, handleMFASetupChallenge);
# NEW_PASSWORD_REQUIRED takes any number of USER_ATTRIBUTE_PREFIX keys.
OPTIONAL_CHALLENGE_RESPONSES: dict[str, tuple[str, ...]] = {"MFA_SETUP": ("EMAIL",)}
USER_ATTRIBUTE_PREFIX = "userAttributes."
# The shape each answered value must have (a key not listed is a StringType).
ANSWER_SHAPES: dict[str, str] = {
    "SMS_MFA_CODE": "ConfirmationCodeType",
    "EMAIL_OTP_CODE": "ConfirmationCodeType",
    "SMS_OTP_CODE": "ConfirmationCodeType",
    "SOFTWARE_TOKEN_MFA_CODE": "SoftwareTokenMFAUserCodeType",
}
# The keys srpkit puts in every answer itself: never the caller's.
ADDED_BY_SRPKIT = ("USERNAME", "SECRET_HASH", "DEVICE_KEY")
# The challenges whose answer is SRP arithmetic srpkit does (UserSRP, DeviceSRP): a
# caller's answer to them is refused.
SRP_CHALLENGES = frozenset(
    {"PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER", "PASSWORD_SRP"}
)
# Measured against a real pool (ministackorg/ministack#1758; pycognito#78 shows the same
# response): InitiateAuth USER_SRP_AUTH answers PASSWORD_VERIFIER with no Session, and the
# answer goes back without one. Whether the device steps carry one is not measured, so
# they are accepted both ways. Every other challenge is asked with a Session.
SESSIONLESS_CHALLENGES = frozenset(
    {"PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"}
)
