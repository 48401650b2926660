"""Reading Cognito's answers: every member of every response type-checked against the API model.

Every member is optional in the model, and Cognito leaves some out (no Session
on PASSWORD_VERIFIER); what is present must have its model type, or a typed
error names it: a hostile or broken endpoint must never cause a TypeError deep
in a caller's code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._core.checks import check_username
from .._core.errors import InvalidChallengeError, ParameterTypeError
from .results import AuthResult

__all__ = [
    "read_auth_response",
    "read_confirm_device_response",
    "read_tokens_response",
    "user_id_of",
]


def _wrong_type(field: str, expected: str, value: object) -> ParameterTypeError:
    return ParameterTypeError(
        f"{field}: expected {expected}, got {type(value).__name__}", fields=(field,)
    )


def _str_map(value: object, field: str) -> dict[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise _wrong_type(field, "a mapping of str to str", value)
    return dict(value)


def _mapping(response: object) -> Mapping[str, Any]:
    if not isinstance(response, Mapping):
        raise _wrong_type("response", "a mapping from the client", response)
    return response


def _check_tokens(tokens: object) -> dict[str, Any]:
    """AuthenticationResult, each member of the API model's type when present."""
    field = "AuthenticationResult"
    if not isinstance(tokens, Mapping):
        raise _wrong_type(field, "a mapping", tokens)
    for name in ("AccessToken", "IdToken", "RefreshToken", "TokenType"):
        if tokens.get(name) is not None and not isinstance(tokens[name], str):
            raise _wrong_type(f"{field}.{name}", "str", tokens[name])
    expires = tokens.get("ExpiresIn")
    if expires is not None and (isinstance(expires, bool) or not isinstance(expires, int)):
        raise _wrong_type(f"{field}.ExpiresIn", "int", expires)
    if tokens.get("NewDeviceMetadata") is not None:
        _str_map(tokens["NewDeviceMetadata"], f"{field}.NewDeviceMetadata")
    return dict(tokens)


def read_auth_response(response: object) -> AuthResult:
    """An InitiateAuth / RespondToAuthChallenge (or Admin*) response: tokens or the challenge asked."""
    body = _mapping(response)
    if body.get("AuthenticationResult") is not None:
        return AuthResult(authentication_result=_check_tokens(body["AuthenticationResult"]))
    name = body.get("ChallengeName")
    if name is None:
        raise InvalidChallengeError(
            "response: has neither AuthenticationResult nor ChallengeName",
            fields=("ChallengeName",),
        )
    if not isinstance(name, str):
        raise _wrong_type("ChallengeName", "str", name)
    session = body.get("Session")
    if session is not None and not isinstance(session, str):
        raise _wrong_type("Session", "str", session)
    params = body.get("ChallengeParameters")
    available = body.get("AvailableChallenges")
    if available is not None and not (
        isinstance(available, (list, tuple)) and all(isinstance(a, str) for a in available)
    ):
        raise _wrong_type("AvailableChallenges", "a list of str", available)
    return AuthResult(
        challenge_name=name,
        session=session,
        challenge_parameters={} if params is None else _str_map(params, "ChallengeParameters"),
        available_challenges=tuple(available or ()),
    )


def read_tokens_response(response: object, operation: str) -> AuthResult:
    """A refresh's response (InitiateAuth REFRESH_TOKEN_AUTH, GetTokensFromRefreshToken): tokens only.

    A refresh never asks a challenge; a response that does is refused rather
    than handed back as if it were pending.
    """
    body = _mapping(response)
    if body.get("AuthenticationResult") is None:
        raise InvalidChallengeError(
            f"response: {operation} answered without AuthenticationResult",
            fields=("AuthenticationResult",),
        )
    return AuthResult(authentication_result=_check_tokens(body["AuthenticationResult"]))


def read_confirm_device_response(response: object) -> bool:
    """ConfirmDevice's UserConfirmationNecessary (absent means false)."""
    body = _mapping(response)
    necessary = body.get("UserConfirmationNecessary")
    if necessary is not None and not isinstance(necessary, bool):
        raise _wrong_type("UserConfirmationNecessary", "bool", necessary)
    return necessary is True


def user_id_of(params: Mapping[str, str], current: str) -> str:
    """USER_ID_FOR_SRP when the challenge carries it (checked), else the name used so far."""
    if "USER_ID_FOR_SRP" not in params:
        return current
    return check_username(params["USER_ID_FOR_SRP"], "USER_ID_FOR_SRP", error=InvalidChallengeError)
