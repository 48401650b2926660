"""A whole sign-in as a sans-I/O state machine: given what Cognito answered, the next request to send.

``SignIn`` does no I/O. A driver (``srpkit.aws`` with boto3, ``srpkit.aio`` with
aiobotocore) sends each ``Call`` and feeds the answer back, so the flow logic
exists once for both. The machine answers the SRP steps itself
(PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER, SELECT_CHALLENGE
with PASSWORD_SRP); any other challenge is handed to the caller, whose answer
it completes with USERNAME and SECRET_HASH over USER_ID_FOR_SRP (never the alias
typed), DEVICE_KEY and the Session, wherever Cognito sent one.

Forgotten devices: when Cognito answers ``ResourceNotFoundException`` ("Device
does not exist.") to a request carrying DEVICE_KEY, the machine repeats that
request once without it and signs in as a new device, as
amazon-cognito-identity-js (CognitoUser.authenticateUserDefaultAuth, issues
#200 and #206) and Amplify v6 (handlePasswordVerifierChallenge, amplify-js
#12188 and #12241) do.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .._core.caps import MAX_CHALLENGE_STEPS
from .._core.checks import Problems, check_device_group_key
from .._core.errors import InvalidChallengeError, InvalidInputError, ParameterTypeError
from .admin import admin_initiate_auth_request, admin_respond_to_auth_challenge_request
from .answers import challenge_responses
from .model import CHALLENGE_NAMES
from .requests import initiate_auth_request, respond_to_auth_challenge_request
from .responses import read_auth_response, user_id_of
from .results import Answer, AuthResult, Challenge, DeviceCredentials
from .user import UserSRP

__all__ = ["FLOWS", "Call", "Operation", "SignIn", "check_client", "error_code_of"]

# The flows a sign-in with SRP can start with.
FLOWS = ("USER_SRP_AUTH", "USER_AUTH", "CUSTOM_AUTH")
# The challenges the machine answers itself; any other goes to the caller.
_SRP_STEPS = frozenset({"PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"})
_DEVICE_GONE = "ResourceNotFoundException"


class Operation(enum.Enum):
    """The cognito-idp operations a journey sends, with the method name boto3 and aiobotocore give each."""

    INITIATE_AUTH = "InitiateAuth"
    RESPOND_TO_AUTH_CHALLENGE = "RespondToAuthChallenge"
    ADMIN_INITIATE_AUTH = "AdminInitiateAuth"
    ADMIN_RESPOND_TO_AUTH_CHALLENGE = "AdminRespondToAuthChallenge"
    GET_TOKENS_FROM_REFRESH_TOKEN = "GetTokensFromRefreshToken"  # noqa: S105 - an operation name
    CONFIRM_DEVICE = "ConfirmDevice"

    @property
    def method(self) -> str:
        """The snake_case client method (``initiate_auth``)."""
        name = self.value
        return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


@dataclass(frozen=True)
class Call:
    """One request to send: ``getattr(client, call.operation.method)(**call.body)``."""

    operation: Operation
    body: dict[str, Any]

    def __repr__(self) -> str:
        # Bodies carry SRP_A, signatures, Sessions, refresh tokens and MFA codes.
        return f"Call({self.operation.value}, body=<{len(self.body)} members>)"


def error_code_of(error: BaseException) -> tuple[str, str] | None:
    """The AWS error code and message of a botocore ClientError (or anything shaped like one)."""
    response = getattr(error, "response", None)
    if not isinstance(response, Mapping):
        return None
    details = response.get("Error")
    if not isinstance(details, Mapping):
        return None
    code, message = details.get("Code"), details.get("Message", "")
    if not isinstance(code, str) or not isinstance(message, str):
        return None
    return code, message


def check_client(client: object, methods: tuple[str, ...], kind: str = "boto3") -> None:
    """Refuse a ``client`` that lacks a method a journey calls (a typo'd or wrong object)."""
    missing = [m for m in methods if not callable(getattr(client, m, None))]
    if missing:
        raise ParameterTypeError(
            f"client: expected a {kind} cognito-idp client, got {type(client).__name__} "
            f"without {', '.join(missing)}",
            fields=("client",),
        )


def _check_flow(flow: object) -> None:
    if flow not in FLOWS:
        raise InvalidInputError(
            f"flow: must be one of {', '.join(FLOWS)} (the flows that sign in with SRP)",
            fields=("flow",),
        )


def _check_device(device: object) -> None:
    if device is None:
        return
    values = {
        name: getattr(device, name, None) for name in ("device_key", "device_group_key", "password")
    }
    if not all(isinstance(v, str) for v in values.values()):
        raise ParameterTypeError(
            "device: expected what confirm_device returned (device_key, device_group_key, "
            f"password), got {type(device).__name__}",
            fields=("device",),
        )
    check_device_group_key(values["device_group_key"], "device.device_group_key")


def _without_device_key(call: Call) -> Call | None:
    """``call`` with DEVICE_KEY taken out of its parameters; None when it carried none."""
    for member in ("AuthParameters", "ChallengeResponses"):
        params = call.body.get(member)
        if isinstance(params, Mapping) and "DEVICE_KEY" in params:
            kept = {k: v for k, v in params.items() if k != "DEVICE_KEY"}
            return replace(call, body={**call.body, member: kept})
    return None


class SignIn:
    """One sign-in journey: ``start()``, then ``receive(response)`` until it returns an AuthResult.

    An AuthResult that is not ``signed_in`` is a challenge for the caller
    (``pending``); ``answer(responses)`` gives the Call that answers it. When a
    send fails, ``failed(code, message)`` says whether to retry (a forgotten
    device) with another Call, or to let the error through (None).

    ``pool_id`` set with ``admin=True`` sends AdminInitiateAuth /
    AdminRespondToAuthChallenge (with ``context_data``) instead.
    """

    def __init__(
        self,
        *,
        pool_id: str,
        client_id: str,
        username: str,
        password: str,
        client_secret: str | None = None,
        device: DeviceCredentials | None = None,
        flow: str = "USER_SRP_AUTH",
        client_metadata: Mapping[str, str] | None = None,
        admin: bool = False,
        context_data: Mapping[str, Any] | None = None,
        small_a: int | None = None,
    ) -> None:
        problems = Problems()
        problems.check(_check_flow, flow)
        problems.check(_check_device, device)
        made: list[UserSRP] = []
        problems.check(
            lambda: made.append(
                UserSRP(
                    pool_id,
                    client_id,
                    username,
                    password,
                    client_secret=client_secret,
                    device_key=None if device is None else device.device_key,
                    small_a=small_a,
                )
            )
        )
        problems.raise_any()
        self._user = made[0]
        self._pool_id = pool_id
        self._client_id = client_id
        self._client_secret = client_secret
        self._device = device
        self._flow = flow
        self._metadata = None if client_metadata is None else dict(client_metadata)
        self._admin = admin
        self._context_data = context_data
        self._user_id = username
        self._password_params: Mapping[str, str] | None = None
        self._device_srp: Any = None
        self._answered: set[str] = set()
        self._steps = 0
        self._last: Call | None = None
        self._forgotten = False
        self.pending: Challenge | None = None

    def __repr__(self) -> str:
        return f"SignIn(flow={self._flow!r}, admin={self._admin}, user={self._user!r})"

    # -- bodies ------------------------------------------------------------------------
    def _initiate(self, params: dict[str, str]) -> Call:
        if self._admin:
            body = admin_initiate_auth_request(
                self._pool_id,
                self._client_id,
                self._flow,
                params,
                client_metadata=self._metadata,
                context_data=self._context_data,
            )
            return self._sent(Call(Operation.ADMIN_INITIATE_AUTH, body))
        body = initiate_auth_request(
            self._client_id, self._flow, params, client_metadata=self._metadata
        )
        return self._sent(Call(Operation.INITIATE_AUTH, body))

    def _respond(self, name: str, responses: dict[str, str], session: str | None) -> Call:
        if self._admin:
            body = admin_respond_to_auth_challenge_request(
                self._pool_id,
                self._client_id,
                name,
                responses,
                session=session,
                client_metadata=self._metadata,
                context_data=self._context_data,
            )
            return self._sent(Call(Operation.ADMIN_RESPOND_TO_AUTH_CHALLENGE, body))
        body = respond_to_auth_challenge_request(
            self._client_id, name, responses, session=session, client_metadata=self._metadata
        )
        return self._sent(Call(Operation.RESPOND_TO_AUTH_CHALLENGE, body))

    def _sent(self, call: Call) -> Call:
        self._steps += 1
        if self._steps > MAX_CHALLENGE_STEPS:
            raise InvalidChallengeError(
                f"ChallengeName: more than {MAX_CHALLENGE_STEPS} steps in one sign-in",
                fields=("ChallengeName",),
            )
        if self._forgotten:
            call = _without_device_key(call) or call
        self._last = call
        return call

    # -- the journey -------------------------------------------------------------------
    def start(self) -> Call:
        """The first request: InitiateAuth (or AdminInitiateAuth) with SRP_A."""
        params = self._user.auth_parameters()
        if self._flow == "USER_AUTH":
            params["PREFERRED_CHALLENGE"] = "PASSWORD_SRP"
        elif self._flow == "CUSTOM_AUTH":
            params["CHALLENGE_NAME"] = "SRP_A"
        return self._initiate(params)

    def receive(self, response: object) -> Call | AuthResult:
        """Read Cognito's answer to the last Call: the next Call, or how the sign-in ended for now."""
        step = read_auth_response(response)
        if step.challenge_name is None:
            return self._result(step)
        name = step.challenge_name
        params = step.challenge_parameters
        if (name in _SRP_STEPS or name == "SELECT_CHALLENGE") and name in self._answered:
            shown = name if name in CHALLENGE_NAMES else "a challenge"
            raise InvalidChallengeError(
                f"ChallengeName: the server asked {shown} twice in one sign-in",
                fields=("ChallengeName",),
            )
        if name == "SELECT_CHALLENGE" and "PASSWORD_SRP" in step.available_challenges:
            self._answered.add(name)
            responses = {"ANSWER": "PASSWORD_SRP", **self._user.auth_parameters()}
            return self._respond(name, responses, step.session)
        if name == "PASSWORD_VERIFIER":
            self._answered.add(name)
            answer = self._user.process_challenge(params)
            self._password_params = params
            self._user_id = answer["USERNAME"]  # USER_ID_FOR_SRP, checked by process_challenge
            return self._respond(name, answer, step.session)
        device = self._device
        if (
            name == "DEVICE_SRP_AUTH"
            and device is not None
            and not self._forgotten
            and self._password_params is not None
        ):
            self._answered.add(name)
            self._device_srp = self._user.device_srp(
                device.device_group_key, device.password, self._password_params
            )
            return self._respond(name, self._device_srp.auth_parameters(), step.session)
        if name == "DEVICE_PASSWORD_VERIFIER" and self._device_srp is not None:
            self._answered.add(name)
            return self._respond(name, self._device_srp.process_challenge(params), step.session)
        self._user_id = user_id_of(params, self._user_id)
        self.pending = Challenge(
            challenge_name=name,
            challenge_parameters=dict(params),
            session=step.session,
            available_challenges=step.available_challenges,
            username=self._user_id,
        )
        return self._result(step)

    def answer(self, reply: Mapping[str, str] | Answer) -> Call:
        """The Call answering the pending challenge with the caller's own responses.

        ``reply`` is that challenge's keys only (``{"SOFTWARE_TOKEN_MFA_CODE":
        "123456"}``), or an ``Answer`` that also carries the Session to send;
        USERNAME, SECRET_HASH and DEVICE_KEY are added here.
        """
        pending = self.pending
        if pending is None:
            raise InvalidInputError(
                "answer: no challenge is pending in this sign-in", fields=("answer",)
            )
        session = pending.session
        responses: object = reply
        if isinstance(reply, Answer):
            responses, session = reply.responses, reply.session
        if not isinstance(responses, Mapping):
            raise ParameterTypeError(
                "answer: expected a mapping of the challenge's responses, an Answer, or None, "
                f"got {type(responses).__name__}",
                fields=("answer",),
            )
        device_key = None
        if self._device is not None and not self._forgotten:
            device_key = self._device.device_key
        full = challenge_responses(
            pending.challenge_name,
            responses,
            username=self._user_id,
            client_id=self._client_id,
            client_secret=self._client_secret,
            device_key=device_key,
        )
        self.pending = None
        return self._respond(pending.challenge_name, full, session)

    def retry_after(self, error: BaseException) -> Call | None:
        """After sending failed with ``error``: the Call to send instead, or None to let it through."""
        found = error_code_of(error)
        return None if found is None else self.failed(*found)

    def failed(self, code: str, message: str) -> Call | None:
        """After a send failed with AWS error ``code``: the Call to retry, or None to raise it."""
        if code != _DEVICE_GONE or "device" not in message.lower() or self._forgotten:
            return None
        if self._last is None or (retry := _without_device_key(self._last)) is None:
            return None
        self._forgotten = True
        self._device_srp = None
        self._last = retry
        return retry

    def _result(self, step: AuthResult) -> AuthResult:
        return replace(step, username=self._user_id, device_forgotten=self._forgotten)
