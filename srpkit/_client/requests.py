"""Whole InitiateAuth and RespondToAuthChallenge request bodies, checked before they are sent.

Each builder returns a plain dict for ``client.initiate_auth(**body)`` or
``client.respond_to_auth_challenge(**body)``. The checks are the API model's
constraints (below, in one place; a test compares them with the model) plus the
parameters each SRP-bearing flow and challenge needs, so a body that would be
refused fails here with every problem named, instead of at the service.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .._core.caps import MAX_SRP_A_HEX
from .._core.checks import Problems, check_client_id, check_device_key, check_username
from .._core.encoding import require_str
from .._core.errors import (
    InvalidChallengeError,
    InvalidInputError,
    MissingParameterError,
    ParameterTypeError,
    SRPKitError,
)
from .model import (
    AUTH_FLOWS,
    CHALLENGE_NAMES,
    CHOICE_ANSWERS,
    LIST_MEMBERS,
    NOT_FOR_INITIATE_AUTH,
    NOT_FOR_RESPOND,
    REQUIRED_AUTH_PARAMETERS,
    REQUIRED_CHALLENGE_RESPONSES,
    REQUIRED_MEMBERS,
    SESSIONLESS_CHALLENGES,
    SHAPES,
    STRUCT_MEMBERS,
)

if TYPE_CHECKING:  # the builders only call the flow objects' public methods
    from .device import DeviceSRP
    from .user import UserSRP

__all__ = [
    "custom_auth_srp_request",
    "device_password_verifier_request",
    "device_srp_auth_request",
    "initiate_auth_request",
    "password_verifier_request",
    "respond_to_auth_challenge_request",
    "select_password_srp_request",
    "user_auth_request",
    "user_srp_auth_request",
]


_SRP_A_RE = re.compile(r"[0-9a-fA-F]+")


def _check_string(value: object, field: str, shape_name: str) -> str:
    shape = SHAPES[shape_name]
    text = require_str(value, field, min_len=shape.min_len, max_len=shape.max_len)
    if shape.pattern is not None and not re.fullmatch(shape.pattern, text, re.ASCII):
        raise InvalidInputError(
            f"{field}: does not match the {shape_name} pattern {shape.pattern}", fields=(field,)
        )
    return text


def _check_enum(
    value: object, field: str, allowed: tuple[str, ...], refused: frozenset[str]
) -> str:
    if not isinstance(value, str):
        raise ParameterTypeError(
            f"{field}: expected str, got {type(value).__name__}", fields=(field,)
        )
    if value not in allowed:
        shown = repr(value) if len(value) <= 40 else "the value given"
        raise InvalidInputError(
            f"{field}: {shown} is not one of {', '.join(allowed)}", fields=(field,)
        )
    if value in refused:
        raise InvalidInputError(
            f"{field}: {value} is not valid for this operation", fields=(field,)
        )
    return value


def _string_map(value: object, field: str, problems: Problems) -> dict[str, str] | None:
    """Check a StringType -> StringType map; return a plain copy (None when it is unusable)."""
    if not isinstance(value, Mapping):
        _report(
            problems,
            ParameterTypeError(
                f"{field}: expected a mapping of str to str, got {type(value).__name__}",
                fields=(field,),
            ),
        )
        return None
    copy: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str):
            _report(
                problems,
                ParameterTypeError(
                    f"{field}: keys must be str, got {type(key).__name__}", fields=(field,)
                ),
            )
            continue
        name = f"{field}.{key}" if len(key) <= 64 else f"{field}[a {len(key)}-character key]"
        problems.check(_check_string, key, f"{field}[key]", "StringType")
        problems.check(_check_string, item, name, "StringType")
        copy[key] = item
    return copy


def _structure(
    value: object, field: str, problems: Problems, *, shape: str | None = None
) -> dict[str, Any] | None:
    """Check a structure ``shape`` (default: ``field``) of StringType and LIST_MEMBERS; a copy."""
    members = STRUCT_MEMBERS[shape or field]
    if not isinstance(value, Mapping):
        _report(
            problems,
            ParameterTypeError(
                f"{field}: expected a mapping with keys among {', '.join(members)}, "
                f"got {type(value).__name__}",
                fields=(field,),
            ),
        )
        return None
    unknown = [k for k in value if k not in members]
    if unknown:
        _report(
            problems,
            InvalidInputError(
                f"{field}: unknown keys {', '.join(repr(k)[:40] for k in unknown)}; "
                f"allowed: {', '.join(members)}",
                fields=(field,),
            ),
        )
    _report_missing(
        problems, field, [k for k in REQUIRED_MEMBERS.get(shape or field, ()) if k not in value]
    )
    copy: dict[str, Any] = dict(value)
    for key in members:
        if key not in value:
            continue
        if key in LIST_MEMBERS:
            copy[key] = _structure_list(value[key], f"{field}.{key}", LIST_MEMBERS[key], problems)
        else:
            problems.check(_check_string, value[key], f"{field}.{key}", "StringType")
    return copy


def _structure_list(value: object, field: str, shape: str, problems: Problems) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return [_structure(v, f"{field}[{i}]", problems, shape=shape) for i, v in enumerate(value)]
    kind = type(value).__name__
    _report(problems, ParameterTypeError(f"{field}: expected a list, got {kind}", fields=(field,)))
    return []


def _raise(error: SRPKitError) -> None:
    raise error


def _report(problems: Problems, error: SRPKitError) -> None:
    """Add an error found here to ``problems`` (which collects only what a check raises)."""
    problems.check(_raise, error)


def _report_missing(problems: Problems, field: str, missing: list[str]) -> None:
    """Name every absent member of ``field`` in one error (nothing when none is)."""
    if missing:
        text, fields = f"{field}: missing {', '.join(missing)}", [f"{field}.{k}" for k in missing]
        _report(problems, InvalidInputError(text, fields=fields))


def _check_parameters(
    params: dict[str, str], field: str, required: tuple[str, ...], problems: Problems
) -> None:
    """Required keys (all named at once) and the values srpkit knows how to check."""
    _report_missing(problems, field, [key for key in required if key not in params])
    if isinstance(params.get("USERNAME"), str):
        problems.check(check_username, params["USERNAME"], f"{field}.USERNAME")
    if isinstance(params.get("DEVICE_KEY"), str):
        problems.check(check_device_key, params["DEVICE_KEY"], f"{field}.DEVICE_KEY")
    if isinstance(params.get("SECRET_HASH"), str):
        problems.check(
            _check_string, params["SECRET_HASH"], f"{field}.SECRET_HASH", "SecretHashType"
        )
    if isinstance(params.get("SRP_A"), str):
        problems.check(_check_srp_a, params["SRP_A"], f"{field}.SRP_A")


def _check_srp_a(value: str, field: str) -> None:
    if len(value) > MAX_SRP_A_HEX or not _SRP_A_RE.fullmatch(value):
        raise InvalidInputError(f"{field}: not the hex of a group element", fields=(field,))


def _common(
    body: dict[str, Any],
    problems: Problems,
    client_metadata: Mapping[str, str] | None,
    analytics_metadata: Mapping[str, str] | None,
    user_context_data: Mapping[str, str] | None,
) -> None:
    # Absent fields are left out, not sent as None: botocore refuses None.
    if client_metadata is not None:
        body["ClientMetadata"] = _string_map(client_metadata, "ClientMetadata", problems)
    if analytics_metadata is not None:
        body["AnalyticsMetadata"] = _structure(analytics_metadata, "AnalyticsMetadata", problems)
    if user_context_data is not None:
        body["UserContextData"] = _structure(user_context_data, "UserContextData", problems)


def initiate_auth_request(
    client_id: str,
    auth_flow: str,
    auth_parameters: Mapping[str, str],
    *,
    session: str | None = None,
    client_metadata: Mapping[str, str] | None = None,
    analytics_metadata: Mapping[str, str] | None = None,
    user_context_data: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A checked InitiateAuth body: ClientId, AuthFlow, AuthParameters and what else is given.

    ``session`` is only for USER_AUTH right after sign-up confirmation.
    Every problem found is reported in one error.
    """
    problems = Problems()
    body = _initiate_body(
        problems,
        client_id,
        auth_flow,
        auth_parameters,
        session=session,
        refused=NOT_FOR_INITIATE_AUTH,
    )
    _common(body, problems, client_metadata, analytics_metadata, user_context_data)
    problems.raise_any()
    return body


def _initiate_body(
    problems: Problems,
    client_id: object,
    auth_flow: object,
    auth_parameters: object,
    *,
    session: object,
    refused: frozenset[str],
) -> dict[str, Any]:
    """ClientId, AuthFlow, AuthParameters and Session of an (Admin)InitiateAuth body."""
    problems.check(check_client_id, client_id, "ClientId")
    problems.check(_check_enum, auth_flow, "AuthFlow", AUTH_FLOWS, refused)
    body: dict[str, Any] = {"ClientId": client_id, "AuthFlow": auth_flow}
    params = _string_map(auth_parameters, "AuthParameters", problems)
    if params is not None:
        body["AuthParameters"] = params
        # A refused flow is named once, by the AuthFlow check; its parameters are not asked.
        flow = auth_flow if isinstance(auth_flow, str) and auth_flow not in refused else ""
        required = REQUIRED_AUTH_PARAMETERS.get(flow, ())
        if flow == "CUSTOM_AUTH" and params.get("CHALLENGE_NAME") == "SRP_A":
            required = (*required, "SRP_A")
        if flow == "USER_AUTH" and params.get("PREFERRED_CHALLENGE") == "PASSWORD_SRP":
            required = (*required, "SRP_A")
        _check_parameters(params, "AuthParameters", required, problems)
    if session is not None:
        problems.check(_check_string, session, "Session", "SessionType")
        body["Session"] = session
    return body


def respond_to_auth_challenge_request(
    client_id: str,
    challenge_name: str,
    challenge_responses: Mapping[str, str],
    *,
    session: str | None = None,
    client_metadata: Mapping[str, str] | None = None,
    analytics_metadata: Mapping[str, str] | None = None,
    user_context_data: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A checked RespondToAuthChallenge body: ClientId, ChallengeName, ChallengeResponses, Session, ...

    ``session`` is the Session of the response that asked the challenge, and is
    sent only when given. Cognito answers USER_SRP_AUTH's PASSWORD_VERIFIER
    without one (it finds the sign-in by its SECRET_BLOCK), so the SRP steps
    (PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER) may go
    without; every other challenge is asked with a Session and needs it back.
    """
    problems = Problems()
    body = _respond_body(
        problems,
        client_id,
        challenge_name,
        challenge_responses,
        session=session,
        refused=NOT_FOR_RESPOND,
    )
    _common(body, problems, client_metadata, analytics_metadata, user_context_data)
    problems.raise_any()
    return body


def _respond_body(
    problems: Problems,
    client_id: object,
    challenge_name: object,
    challenge_responses: object,
    *,
    session: object,
    refused: frozenset[str],
) -> dict[str, Any]:
    """ClientId, ChallengeName, Session and ChallengeResponses of an (Admin)RespondToAuthChallenge body."""
    problems.check(check_client_id, client_id, "ClientId")
    problems.check(_check_enum, challenge_name, "ChallengeName", CHALLENGE_NAMES, refused)
    body: dict[str, Any] = {"ClientId": client_id, "ChallengeName": challenge_name}
    _answer_session(body, problems, challenge_name, session)
    responses = _string_map(challenge_responses, "ChallengeResponses", problems)
    if responses is not None:
        body["ChallengeResponses"] = responses
        name = challenge_name if isinstance(challenge_name, str) else ""
        # A refused challenge is named once, by the ChallengeName check.
        required = _required_responses("" if name in refused else name, responses, problems)
        _check_parameters(responses, "ChallengeResponses", required, problems)
    return body


def _answer_session(
    body: dict[str, Any], problems: Problems, challenge_name: object, session: object
) -> None:
    """Check the Session of a challenge answer into ``body``: required but for the SRP steps."""
    if session is not None:
        problems.check(_check_string, session, "Session", "SessionType")
        body["Session"] = session
    elif isinstance(challenge_name, str) and challenge_name not in SESSIONLESS_CHALLENGES:
        shown = challenge_name if challenge_name in CHALLENGE_NAMES else "this challenge"
        _report(
            problems,
            InvalidInputError(
                f"Session: required for {shown}; pass the Session of the response that asked it",
                fields=("Session",),
            ),
        )


def _required_responses(
    name: str, responses: Mapping[str, str], problems: Problems, field: str = "ChallengeResponses"
) -> tuple[str, ...]:
    """The responses challenge ``name`` requires, with those of the choice its ANSWER makes."""
    required = REQUIRED_CHALLENGE_RESPONSES.get(name, ("USERNAME",))
    choices = CHOICE_ANSWERS.get(name)
    answer = responses.get("ANSWER")
    if choices is None or not isinstance(answer, str):
        return required
    if answer not in choices:
        # The value is not shown: a code typed into the wrong field would be echoed.
        _report(
            problems,
            InvalidInputError(
                f"{field}.ANSWER: {name} is answered with one of {', '.join(choices)}",
                fields=(f"{field}.ANSWER",),
            ),
        )
        return required
    return (*required, *choices[answer])


# ---------------------------------------------------------------- flow builders


def user_srp_auth_request(
    user: UserSRP,
    *,
    client_metadata: Mapping[str, str] | None = None,
    analytics_metadata: Mapping[str, str] | None = None,
    user_context_data: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """InitiateAuth with USER_SRP_AUTH for ``user`` (USERNAME, SRP_A, + SECRET_HASH, DEVICE_KEY)."""
    return initiate_auth_request(
        user.client_id,
        "USER_SRP_AUTH",
        user.auth_parameters(),
        client_metadata=client_metadata,
        analytics_metadata=analytics_metadata,
        user_context_data=user_context_data,
    )


def custom_auth_srp_request(
    user: UserSRP,
    *,
    client_metadata: Mapping[str, str] | None = None,
    analytics_metadata: Mapping[str, str] | None = None,
    user_context_data: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """InitiateAuth with CUSTOM_AUTH that starts with SRP (CHALLENGE_NAME: SRP_A); PASSWORD_VERIFIER follows."""
    params = user.auth_parameters()
    params["CHALLENGE_NAME"] = "SRP_A"
    return initiate_auth_request(
        user.client_id,
        "CUSTOM_AUTH",
        params,
        client_metadata=client_metadata,
        analytics_metadata=analytics_metadata,
        user_context_data=user_context_data,
    )


def user_auth_request(
    user: UserSRP,
    *,
    preferred_challenge: str | None = "PASSWORD_SRP",
    session: str | None = None,
    client_metadata: Mapping[str, str] | None = None,
    analytics_metadata: Mapping[str, str] | None = None,
    user_context_data: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """InitiateAuth with USER_AUTH (choice-based sign-in).

    With ``preferred_challenge="PASSWORD_SRP"`` (the default) SRP_A goes along
    and PASSWORD_VERIFIER follows. With ``None``, only USERNAME (+ SECRET_HASH,
    DEVICE_KEY) is sent; answer the SELECT_CHALLENGE that follows with
    ``select_password_srp_request``.
    """
    if preferred_challenge not in ("PASSWORD_SRP", None):
        raise InvalidInputError(
            "preferred_challenge: srpkit builds USER_AUTH only for PASSWORD_SRP or None",
            fields=("preferred_challenge",),
        )
    params = user.auth_parameters()
    if preferred_challenge is None:
        del params["SRP_A"]
    else:
        params["PREFERRED_CHALLENGE"] = preferred_challenge
    return initiate_auth_request(
        user.client_id,
        "USER_AUTH",
        params,
        session=session,
        client_metadata=client_metadata,
        analytics_metadata=analytics_metadata,
        user_context_data=user_context_data,
    )


def _challenge_of(response: object, expected: str) -> tuple[str | None, Mapping[str, Any]]:
    """The Session (None if the response has none) and ChallengeParameters asking ``expected``."""
    if not isinstance(response, Mapping):
        raise ParameterTypeError(
            "response: expected the previous InitiateAuth / RespondToAuthChallenge response "
            f"(a mapping), got {type(response).__name__}",
            fields=("response",),
        )
    name = response.get("ChallengeName")
    if name != expected:
        shown = repr(name) if name in CHALLENGE_NAMES or name is None else "another value"
        raise InvalidChallengeError(
            f"ChallengeName: this step answers {expected}, but the response asks {shown}",
            fields=("ChallengeName",),
        )
    session: str | None = None
    if response.get("Session") is not None:
        session = require_str(
            response["Session"],
            "Session",
            max_len=SHAPES["SessionType"].max_len,
            error=InvalidChallengeError,
        )
    elif expected not in SESSIONLESS_CHALLENGES:
        raise MissingParameterError(
            f"response missing Session, which the {expected} answer must carry",
            fields=("Session",),
        )
    params = response.get("ChallengeParameters", {})
    if not isinstance(params, Mapping):
        raise ParameterTypeError(
            f"ChallengeParameters: expected a mapping, got {type(params).__name__}",
            fields=("ChallengeParameters",),
        )
    return session, params


def select_password_srp_request(
    user: UserSRP,
    response: Mapping[str, Any],
    *,
    client_metadata: Mapping[str, str] | None = None,
    analytics_metadata: Mapping[str, str] | None = None,
    user_context_data: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """RespondToAuthChallenge answering SELECT_CHALLENGE with PASSWORD_SRP (ANSWER, USERNAME, SRP_A, ...).

    ``response`` is the InitiateAuth (USER_AUTH) response that asked SELECT_CHALLENGE.
    """
    session, _ = _challenge_of(response, "SELECT_CHALLENGE")
    available = response.get("AvailableChallenges")
    if isinstance(available, (list, tuple)) and "PASSWORD_SRP" not in available:
        raise InvalidChallengeError(
            "AvailableChallenges: PASSWORD_SRP is not offered for this user and app client",
            fields=("AvailableChallenges",),
        )
    responses = {"ANSWER": "PASSWORD_SRP", **user.auth_parameters()}
    return respond_to_auth_challenge_request(
        user.client_id,
        "SELECT_CHALLENGE",
        responses,
        session=session,
        client_metadata=client_metadata,
        analytics_metadata=analytics_metadata,
        user_context_data=user_context_data,
    )


def password_verifier_request(
    user: UserSRP,
    response: Mapping[str, Any],
    *,
    now: datetime | None = None,
    client_metadata: Mapping[str, str] | None = None,
    analytics_metadata: Mapping[str, str] | None = None,
    user_context_data: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """RespondToAuthChallenge answering the PASSWORD_VERIFIER that ``response`` asks."""
    session, params = _challenge_of(response, "PASSWORD_VERIFIER")
    return respond_to_auth_challenge_request(
        user.client_id,
        "PASSWORD_VERIFIER",
        user.process_challenge(params, now=now),
        session=session,
        client_metadata=client_metadata,
        analytics_metadata=analytics_metadata,
        user_context_data=user_context_data,
    )


def device_srp_auth_request(
    device: DeviceSRP,
    response: Mapping[str, Any],
    *,
    client_metadata: Mapping[str, str] | None = None,
    analytics_metadata: Mapping[str, str] | None = None,
    user_context_data: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """RespondToAuthChallenge answering DEVICE_SRP_AUTH (the response to PASSWORD_VERIFIER asks it)."""
    session, _ = _challenge_of(response, "DEVICE_SRP_AUTH")
    return respond_to_auth_challenge_request(
        device.client_id,
        "DEVICE_SRP_AUTH",
        device.auth_parameters(),
        session=session,
        client_metadata=client_metadata,
        analytics_metadata=analytics_metadata,
        user_context_data=user_context_data,
    )


def device_password_verifier_request(
    device: DeviceSRP,
    response: Mapping[str, Any],
    *,
    now: datetime | None = None,
    client_metadata: Mapping[str, str] | None = None,
    analytics_metadata: Mapping[str, str] | None = None,
    user_context_data: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """RespondToAuthChallenge answering the DEVICE_PASSWORD_VERIFIER that ``response`` asks."""
    session, params = _challenge_of(response, "DEVICE_PASSWORD_VERIFIER")
    return respond_to_auth_challenge_request(
        device.client_id,
        "DEVICE_PASSWORD_VERIFIER",
        device.process_challenge(params, now=now),
        session=session,
        client_metadata=client_metadata,
        analytics_metadata=analytics_metadata,
        user_context_data=user_context_data,
    )
