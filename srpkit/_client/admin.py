"""AdminInitiateAuth and AdminRespondToAuthChallenge bodies, checked as their non-admin twins are.

The Admin operations are signed with AWS credentials (a server's) and add
UserPoolId; they take ContextData (IpAddress, ServerName, ServerPath,
HttpHeaders and EncodedData, for threat protection) where the others take
UserContextData. Flows, required parameters and the Session rules are
requests.py's, shared, not restated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._core.checks import Problems, pool_name
from .model import NOT_FOR_ADMIN_INITIATE_AUTH, NOT_FOR_ADMIN_RESPOND
from .requests import _common, _initiate_body, _respond_body, _structure

if TYPE_CHECKING:  # the builder only calls the flow object's public methods
    from .user import UserSRP

__all__ = [
    "admin_initiate_auth_request",
    "admin_respond_to_auth_challenge_request",
    "admin_user_srp_auth_request",
]


def _admin_body(
    pool_id: object,
    problems: Problems,
    body: dict[str, Any],
    *,
    client_metadata: Mapping[str, str] | None,
    analytics_metadata: Mapping[str, str] | None,
    context_data: Mapping[str, Any] | None,
) -> dict[str, Any]:
    problems.check(pool_name, pool_id)
    admin: dict[str, Any] = {"UserPoolId": pool_id, **body}
    _common(admin, problems, client_metadata, analytics_metadata, None)
    if context_data is not None:
        admin["ContextData"] = _structure(context_data, "ContextData", problems)
    problems.raise_any()
    return admin


def admin_initiate_auth_request(
    pool_id: str,
    client_id: str,
    auth_flow: str,
    auth_parameters: Mapping[str, str],
    *,
    session: str | None = None,
    client_metadata: Mapping[str, str] | None = None,
    analytics_metadata: Mapping[str, str] | None = None,
    context_data: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A checked AdminInitiateAuth body: UserPoolId, ClientId, AuthFlow, AuthParameters, ...

    The flows are those AdminInitiateAuth documents: USER_SRP_AUTH, USER_AUTH,
    CUSTOM_AUTH, REFRESH_TOKEN_AUTH / REFRESH_TOKEN, ADMIN_USER_PASSWORD_AUTH and
    the legacy ADMIN_NO_SRP_AUTH (USER_PASSWORD_AUTH is InitiateAuth's). Required
    AuthParameters, SECRET_HASH (over the USERNAME sent, which the caller computes)
    and Session are checked as ``initiate_auth_request`` checks them; ``context_data``
    is a ContextDataType (IpAddress, ServerName, ServerPath, HttpHeaders as a list of
    ``{"headerName", "headerValue"}``, optional EncodedData). Every problem found is
    reported in one error.
    """
    problems = Problems()
    body = _initiate_body(
        problems,
        client_id,
        auth_flow,
        auth_parameters,
        session=session,
        refused=NOT_FOR_ADMIN_INITIATE_AUTH,
    )
    return _admin_body(
        pool_id,
        problems,
        body,
        client_metadata=client_metadata,
        analytics_metadata=analytics_metadata,
        context_data=context_data,
    )


def admin_respond_to_auth_challenge_request(
    pool_id: str,
    client_id: str,
    challenge_name: str,
    challenge_responses: Mapping[str, str],
    *,
    session: str | None = None,
    client_metadata: Mapping[str, str] | None = None,
    analytics_metadata: Mapping[str, str] | None = None,
    context_data: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A checked AdminRespondToAuthChallenge body: UserPoolId, ClientId, ChallengeName, ...

    ChallengeResponses must carry what the challenge requires (USERNAME, and
    SECRET_HASH over that USERNAME, the USER_ID_FOR_SRP, when the app client has a
    secret); ``session`` is the Session of the response that asked the challenge,
    required but for the SRP steps, as ``respond_to_auth_challenge_request``
    requires it. ADMIN_NO_SRP_AUTH is a valid challenge here. ``context_data`` is
    as for ``admin_initiate_auth_request``. Every problem found is reported in one
    error.
    """
    problems = Problems()
    body = _respond_body(
        problems,
        client_id,
        challenge_name,
        challenge_responses,
        session=session,
        refused=NOT_FOR_ADMIN_RESPOND,
    )
    return _admin_body(
        pool_id,
        problems,
        body,
        client_metadata=client_metadata,
        analytics_metadata=analytics_metadata,
        context_data=context_data,
    )


def admin_user_srp_auth_request(
    user: UserSRP,
    *,
    client_metadata: Mapping[str, str] | None = None,
    analytics_metadata: Mapping[str, str] | None = None,
    context_data: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """AdminInitiateAuth with USER_SRP_AUTH for ``user``: its pool, USERNAME, SRP_A (+ SECRET_HASH, DEVICE_KEY).

    SECRET_HASH is over the name ``user`` was made with, as on InitiateAuth; the
    PASSWORD_VERIFIER that follows is answered with ``user.process_challenge``
    (USERNAME and SECRET_HASH over the challenge's USER_ID_FOR_SRP), sent with
    ``admin_respond_to_auth_challenge_request``.
    """
    return admin_initiate_auth_request(
        user.pool_id,
        user.client_id,
        "USER_SRP_AUTH",
        user.auth_parameters(),
        client_metadata=client_metadata,
        analytics_metadata=analytics_metadata,
        context_data=context_data,
    )
