"""The server half of Cognito SRP: verifiers, and sessions that check a client's claim as Cognito does.

For testing clients against real verification, offline: ``make_verifier``
makes what a user pool stores for a password; ``ServerSRP`` plays one
USER_SRP_AUTH sign-in (PASSWORD_VERIFIER); ``DeviceServerSRP`` plays one
DEVICE_SRP_AUTH sign-in (DEVICE_PASSWORD_VERIFIER) from the verifier a client
sent to ConfirmDevice. Every refusal is a ``VerificationError`` whose
``reason`` says which check failed (Cognito itself answers most of them with
NotAuthorizedException, "Incorrect username or password.").

One server object is one sign-in: it issues one challenge and checks at most
one answer, whatever the outcome.

Example::

    salt, verifier = make_verifier("us-east-1_AbC123", "alice", password)
    server = ServerSRP("us-east-1_AbC123", "alice", salt, verifier)
    params = server.start(client.auth_parameters())   # InitiateAuth -> PASSWORD_VERIFIER
    server.verify(client.process_challenge(params))    # raises VerificationError if wrong
"""

from __future__ import annotations

from .._core.errors import VerificationError, VerificationReason
from .._core.timestamp import DEFAULT_MAX_SKEW
from ._device import DeviceServerSRP
from ._user import ServerSRP, make_verifier

__all__ = [
    "DEFAULT_MAX_SKEW",
    "DeviceServerSRP",
    "ServerSRP",
    "VerificationError",
    "VerificationReason",
    "make_verifier",
]
