"""The answers to the challenges srpkit does not answer itself, completed as Cognito requires.

A caller gives only what the challenge asks of the user (``{"SOFTWARE_TOKEN_MFA_CODE":
"123456"}``, ``{"NEW_PASSWORD": ..., "userAttributes.name": ...}``); srpkit adds
USERNAME, SECRET_HASH and DEVICE_KEY. USERNAME and SECRET_HASH must be over the
user's internal name (USER_ID_FOR_SRP), never the alias typed: a hash over the
alias is refused with "Unable to verify secret hash" (qwigo/warrant#74,
aws-amplify/aws-sdk-android#1144), which is why the caller may not set them.

The keys a challenge accepts are those its documentation lists (model.py), and
no others: a misspelt key is named here instead of failing at the service. Only
NEW_PASSWORD_REQUIRED takes open-ended keys, ``userAttributes.<name>``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from .._core.checks import (
    Problems,
    check_client_id,
    check_device_key,
    check_optional_secret,
    check_password,
    check_username,
)
from .._core.errors import InvalidInputError, SRPKitError
from .._core.secret_hash import secret_hash
from .model import (
    ADDED_BY_SRPKIT,
    ANSWER_SHAPES,
    CHALLENGE_NAMES,
    NOT_FOR_RESPOND,
    OPTIONAL_CHALLENGE_RESPONSES,
    SRP_CHALLENGES,
    USER_ATTRIBUTE_PREFIX,
)
from .requests import (
    _answer_session,
    _check_enum,
    _check_string,
    _common,
    _report,
    _report_missing,
    _required_responses,
    _respond_body,
    _string_map,
)

__all__ = ["challenge_answer_request", "challenge_responses"]

_FIELD = "answers"
# A key shown in a message looks like a parameter name; anything else (a code pasted
# as a key, say) is described, never shown.
_NAME_RE = re.compile(r"[A-Za-z][\w.:-]{0,63}", re.ASCII)
# AttributeNameType: [\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+
_ATTRIBUTE_CATEGORIES = frozenset("LMSNP")
_ATTRIBUTE_SPACES = frozenset("\t\n\r ")


def _shown(key: str) -> str:
    return key if _NAME_RE.fullmatch(key) else "a key that is not a parameter name"


def _check_attribute_name(name: str, field: str) -> None:
    _check_string(name, field, "AttributeNameType")
    for ch in name:
        if unicodedata.category(ch)[0] not in _ATTRIBUTE_CATEGORIES and ch not in _ATTRIBUTE_SPACES:
            raise InvalidInputError(
                f"{field}: the attribute name has a character AttributeNameType does not allow",
                fields=(field,),
            )


def _check_values(
    name: str, answers: Mapping[str, str], required: tuple[str, ...], problems: Problems
) -> None:
    """Keys the challenge (and its choice) takes, and the shape of each value (never shown)."""
    allowed = (*required, *OPTIONAL_CHALLENGE_RESPONSES.get(name, ()))
    unknown: list[str] = []
    for key, value in answers.items():
        if key in ADDED_BY_SRPKIT or not isinstance(value, str):
            continue  # the first are refused below; _string_map named the second
        field = f"{_FIELD}.{key}" if len(key) <= 64 else f"{_FIELD}[a {len(key)}-character key]"
        if name == "NEW_PASSWORD_REQUIRED" and key.startswith(USER_ATTRIBUTE_PREFIX):
            problems.check(_check_attribute_name, key[len(USER_ATTRIBUTE_PREFIX) :], field)
            problems.check(_check_string, value, field, "AttributeValueType")
        elif key not in allowed:
            unknown.append(key)
        elif key in ("NEW_PASSWORD", "PASSWORD"):
            problems.check(check_password, value, field)
        elif key in ANSWER_SHAPES:
            problems.check(_check_string, value, field, ANSWER_SHAPES[key])
    if unknown:
        takes = [k for k in allowed if k not in ADDED_BY_SRPKIT]
        if name == "NEW_PASSWORD_REQUIRED":
            takes.append(f"{USER_ATTRIBUTE_PREFIX}<name>")
        _report(
            problems,
            InvalidInputError(
                f"{_FIELD}: {name} takes no {', '.join(_shown(k) for k in unknown)}; "
                f"its answer has {', '.join(takes) or 'no keys'} (srpkit adds USERNAME, "
                "SECRET_HASH and DEVICE_KEY)",
                fields=[f"{_FIELD}.{k}" if _NAME_RE.fullmatch(k) else _FIELD for k in unknown],
            ),
        )


def _check_answers(name: object, answers: object, problems: Problems) -> dict[str, str] | None:
    """The caller's answers to challenge ``name`` checked; a plain copy, or None if unusable."""
    problems.check(_check_enum, name, "ChallengeName", CHALLENGE_NAMES, frozenset())
    copy = _string_map(answers, _FIELD, problems)
    if not isinstance(name, str) or name not in CHALLENGE_NAMES:
        return copy
    if name in SRP_CHALLENGES or (
        name == "SELECT_CHALLENGE" and copy is not None and copy.get("ANSWER") == "PASSWORD_SRP"
    ):
        shown = "SELECT_CHALLENGE with PASSWORD_SRP" if name == "SELECT_CHALLENGE" else name
        _report(
            problems,
            InvalidInputError(
                f"ChallengeName: srpkit answers {shown} itself with UserSRP / DeviceSRP "
                "(the *_request flow builders); it takes no caller's answers",
                fields=("ChallengeName",),
            ),
        )
        return copy
    if copy is None:
        return None
    forbidden = [k for k in ADDED_BY_SRPKIT if k in copy]
    if forbidden:
        _report(
            problems,
            InvalidInputError(
                f"{_FIELD}: leave out {', '.join(forbidden)}: srpkit adds them, USERNAME and "
                "SECRET_HASH over the user's internal name (USER_ID_FOR_SRP), not the alias typed",
                fields=[f"{_FIELD}.{k}" for k in forbidden],
            ),
        )
    required = _required_responses(name, copy, problems, _FIELD)
    _report_missing(
        problems, _FIELD, [k for k in required if k not in ADDED_BY_SRPKIT and k not in copy]
    )
    _check_values(name, copy, required, problems)
    return copy


def challenge_responses(
    challenge_name: str,
    answers: Mapping[str, str],
    *,
    username: str,
    client_id: str,
    client_secret: str | None = None,
    device_key: str | None = None,
) -> dict[str, str]:
    """The ChallengeResponses answering ``challenge_name`` with the caller's ``answers``, completed.

    ``answers`` holds only the challenge's own keys, as the RespondToAuthChallenge
    documentation lists them (SMS_MFA_CODE, EMAIL_OTP_CODE, SMS_OTP_CODE,
    SOFTWARE_TOKEN_MFA_CODE, NEW_PASSWORD with any ``userAttributes.<name>``, ANSWER
    for CUSTOM_CHALLENGE, SELECT_MFA_TYPE and SELECT_CHALLENGE, PASSWORD, CREDENTIAL,
    MFA_SETUP's optional EMAIL); srpkit adds USERNAME = ``username``, SECRET_HASH over
    ``username`` when ``client_secret`` is given, and DEVICE_KEY when ``device_key`` is.
    ``username`` must be the user's internal name, the USER_ID_FOR_SRP (or USERNAME)
    of the ChallengeParameters, never the alias typed. Answers that carry USERNAME,
    SECRET_HASH or DEVICE_KEY, keys the challenge does not take, missing or malformed
    values (codes are strings; a TOTP code is six digits), and the SRP challenges
    srpkit answers itself are refused, every problem in one error that names the
    fields and never shows a code or a password.
    """
    problems = Problems()
    copy = _check_answers(challenge_name, answers, problems)
    problems.check(check_username, username, "username")
    problems.check(check_client_id, client_id, "ClientId")
    problems.check(check_optional_secret, client_secret, "client_secret")
    if device_key is not None:
        problems.check(check_device_key, device_key, "device_key")
    problems.raise_any()
    # No problem means _string_map made the copy.
    responses = {**(copy or {}), "USERNAME": username}
    if client_secret is not None:
        responses["SECRET_HASH"] = secret_hash(username, client_id, client_secret)
    if device_key is not None:
        responses["DEVICE_KEY"] = device_key
    return responses


def challenge_answer_request(
    client_id: str,
    challenge_name: str,
    answers: Mapping[str, str],
    *,
    username: str,
    session: str | None,
    client_secret: str | None = None,
    device_key: str | None = None,
    client_metadata: Mapping[str, str] | None = None,
    analytics_metadata: Mapping[str, str] | None = None,
    user_context_data: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The RespondToAuthChallenge body answering ``challenge_name`` with the caller's ``answers``.

    ChallengeResponses are ``challenge_responses(...)``'s: the answers plus USERNAME,
    SECRET_HASH over ``username`` (the USER_ID_FOR_SRP, not the alias) and DEVICE_KEY;
    ``session`` is the Session of the response that asked the challenge, or for
    MFA_SETUP the one VerifySoftwareToken returned (required: none of these
    challenges is asked without one). The body is checked as
    ``respond_to_auth_challenge_request`` checks it, and every problem found, in the
    answers or in the rest of the body, is reported in one error.
    """
    problems = Problems()
    responses: dict[str, str] | None = None
    try:
        responses = challenge_responses(
            challenge_name,
            answers,
            username=username,
            client_id=client_id,
            client_secret=client_secret,
            device_key=device_key,
        )
    except SRPKitError as exc:
        found: SRPKitError | None = exc
    else:
        found = None
    if found is not None:  # reported outside the except block: no __context__ to carry
        _report(problems, found)
    if responses is not None:
        body = _respond_body(
            problems,
            client_id,
            challenge_name,
            responses,
            session=session,
            refused=NOT_FOR_RESPOND,
        )
    else:  # the answers' problems are in; the Session's join them
        body = {}
        _answer_session(body, problems, challenge_name, session)
    _common(body, problems, client_metadata, analytics_metadata, user_context_data)
    problems.raise_any()
    return body
