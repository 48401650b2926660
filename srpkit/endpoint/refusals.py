"""What the local Cognito answers when srpkit refuses a request, worded as Cognito words it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .._core.errors import SRPKitError, VerificationError, VerificationReason
from .._core.secret_hash import secret_hash_matches
from .state import AppClient
from .wire import ServiceError

__all__ = [
    "INVALID_SESSION",
    "NOT_AUTHORIZED",
    "USER_DISABLED",
    "check_secret_hash",
    "service_error",
    "verified",
]

NOT_AUTHORIZED = "Incorrect username or password."
INVALID_SESSION = "Invalid session for the user."
# A disabled user's sign-in (NotAuthorizedException), as the AWS CLI prints Cognito's answer in
# localstack/localstack#8454; also what srpkit serve answers their refresh and access tokens.
USER_DISABLED = "User is disabled."

_T = TypeVar("_T")


def _secret_hash_refusal(client: AppClient, missing: bool) -> str:
    if missing:
        return f"Client {client.id} is configured with secret but SECRET_HASH was not received"
    return f"Unable to verify secret hash for client {client.id}"


def check_secret_hash(client: AppClient, username: str, given: object) -> None:
    """SECRET_HASH of calls that carry no SRP (ServerSRP checks the others)."""
    if client.secret is None:
        return
    if given is None:
        raise ServiceError("NotAuthorizedException", _secret_hash_refusal(client, True))
    if not secret_hash_matches(given, username, client.id, client.secret):
        raise ServiceError("NotAuthorizedException", _secret_hash_refusal(client, False))


def verified(client: AppClient, step: Callable[[], _T]) -> _T:
    """Run an SRP step, answering its refusals as Cognito does (keeping srpkit's reason)."""
    try:
        return step()
    except SRPKitError as exc:
        raise service_error(exc, client) from None


def service_error(exc: SRPKitError, client: AppClient | None = None) -> ServiceError:
    """What Cognito answers for an srpkit refusal: a failed check is NotAuthorizedException.

    A malformed message or any other bad value is InvalidParameterException.
    """
    if not isinstance(exc, VerificationError):
        return ServiceError("InvalidParameterException", str(exc))
    if exc.reason is VerificationReason.MALFORMED:
        return ServiceError("InvalidParameterException", str(exc), exc)
    message = NOT_AUTHORIZED
    if exc.reason is VerificationReason.SECRET_HASH and client is not None:
        message = _secret_hash_refusal(client, exc.absent)
    return ServiceError("NotAuthorizedException", message, exc)
