"""Bodies that trade a refresh token for new tokens: InitiateAuth REFRESH_TOKEN(_AUTH), GetTokensFromRefreshToken.

SECRET_HASH on a refresh is over the user's internal name (the USER_ID_FOR_SRP of
the sign-in, the ``cognito:username`` of its tokens), not the alias typed: a
hash over the alias or the email is refused with "SecretHash does not match"
(aws/aws-sdk-net-extensions-cognito#122, aws-amplify/amplify-android#3111).
A refresh token is a secret: bounded, checked against TokenModelType, never shown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .._core.checks import (
    Problems,
    check_client_id,
    check_device_key,
    check_optional_secret,
    check_username,
)
from .._core.errors import InvalidInputError, SRPKitError
from .._core.secret_hash import secret_hash
from .model import AUTH_FLOWS, REFRESH_FLOWS
from .requests import _check_string, _common, _initiate_body, _report, _string_map

__all__ = ["get_tokens_from_refresh_token_request", "refresh_request"]

_NOT_REFRESH = frozenset(AUTH_FLOWS) - frozenset(REFRESH_FLOWS)


def _valid(check: Callable[..., object], *args: object) -> bool:
    """Whether ``check`` passes (its error, if any, is reported by the caller's own check)."""
    try:
        check(*args)
    except SRPKitError:
        return False
    return True


def refresh_request(
    client_id: str,
    refresh_token: str,
    *,
    username: str | None = None,
    client_secret: str | None = None,
    device_key: str | None = None,
    flow: str = "REFRESH_TOKEN_AUTH",
    client_metadata: Mapping[str, str] | None = None,
    analytics_metadata: Mapping[str, str] | None = None,
    user_context_data: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A checked InitiateAuth body refreshing tokens with ``flow`` REFRESH_TOKEN_AUTH (or REFRESH_TOKEN).

    AuthParameters carry REFRESH_TOKEN, SECRET_HASH over ``username`` when
    ``client_secret`` is given, and DEVICE_KEY when ``device_key`` is (the key of
    the remembered device the tokens were issued to: pass it whenever the sign-in
    used or confirmed one). ``username`` must be the user's internal name, the
    USER_ID_FOR_SRP of the sign-in (the tokens' ``cognito:username``), never the
    alias typed; it is required with a client secret and is not sent. The token
    is checked against TokenModelType and never shown; every problem found is
    reported in one error.
    """
    problems = Problems()
    params: dict[str, Any] = {"REFRESH_TOKEN": refresh_token}
    if isinstance(refresh_token, str):  # another type is named by the AuthParameters check
        problems.check(
            _check_string, refresh_token, "AuthParameters.REFRESH_TOKEN", "TokenModelType"
        )
    problems.check(check_optional_secret, client_secret, "client_secret")
    if username is not None:
        problems.check(check_username, username, "username")
    elif client_secret is not None:
        _report(
            problems,
            InvalidInputError(
                "username: required with a client secret, for the SECRET_HASH: the user's "
                "internal name (USER_ID_FOR_SRP, the tokens' cognito:username), not an alias",
                fields=("username",),
            ),
        )
    if (
        client_secret is not None
        and username is not None
        and _valid(check_username, username)
        and _valid(check_client_id, client_id)
        and _valid(check_optional_secret, client_secret, "client_secret")
    ):
        params["SECRET_HASH"] = secret_hash(username, client_id, client_secret)
    if device_key is not None:
        params["DEVICE_KEY"] = device_key
    # Any flow but the two refreshes is refused by name, in the one AuthFlow check.
    body = _initiate_body(problems, client_id, flow, params, session=None, refused=_NOT_REFRESH)
    _common(body, problems, client_metadata, analytics_metadata, user_context_data)
    problems.raise_any()
    return body


def get_tokens_from_refresh_token_request(
    client_id: str,
    refresh_token: str,
    *,
    client_secret: str | None = None,
    device_key: str | None = None,
    client_metadata: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A checked GetTokensFromRefreshToken body (refresh-token rotation): RefreshToken, ClientId, ...

    Unlike InitiateAuth, this operation takes the client secret itself as
    ClientSecret (no SECRET_HASH, so no user name) and the remembered device as
    DeviceKey, which Cognito requires when the pool remembers devices (else it
    issues a new one). The token is checked against TokenModelType and never
    shown; every problem found is reported in one error.
    """
    problems = Problems()
    problems.check(_check_string, refresh_token, "RefreshToken", "TokenModelType")
    problems.check(check_client_id, client_id, "ClientId")
    body: dict[str, Any] = {"RefreshToken": refresh_token, "ClientId": client_id}
    if client_secret is not None:
        problems.check(check_optional_secret, client_secret, "ClientSecret")
        body["ClientSecret"] = client_secret
    if device_key is not None:
        problems.check(check_device_key, device_key, "DeviceKey")
        body["DeviceKey"] = device_key
    if client_metadata is not None:
        body["ClientMetadata"] = _string_map(client_metadata, "ClientMetadata", problems)
    problems.raise_any()
    return body
