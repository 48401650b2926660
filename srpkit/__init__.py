"""srpkit: the client crypto Amazon Cognito user pools demand, exact and fast.

SRP-6a over the RFC 3526 3072-bit group (SRP_A, PASSWORD_CLAIM_SIGNATURE),
remembered-device verifiers and SECRET_HASH, bit-identical to the official
JavaScript clients.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._client.device import DeviceSecret, DeviceSRP, device_verifier_config, new_device_secret
from ._client.user import UserSRP
from ._core.backend import backend, hardened, set_hardened
from ._core.encoding import pad_hex
from ._core.errors import (
    BackendUnavailableError,
    InvalidChallengeError,
    InvalidInputError,
    MissingDependencyError,
    MissingParameterError,
    ParameterTypeError,
    SRPKitError,
    VerificationError,
)
from ._core.secret_hash import secret_hash
from ._core.timestamp import format_timestamp

if TYPE_CHECKING:  # what the lazy names below are, for type checkers and the API docs
    from ._client.admin import (
        admin_initiate_auth_request,
        admin_respond_to_auth_challenge_request,
        admin_user_srp_auth_request,
    )
    from ._client.answers import challenge_answer_request, challenge_responses
    from ._client.refresh import get_tokens_from_refresh_token_request, refresh_request
    from ._client.requests import (
        custom_auth_srp_request,
        device_password_verifier_request,
        device_srp_auth_request,
        initiate_auth_request,
        password_verifier_request,
        respond_to_auth_challenge_request,
        select_password_srp_request,
        user_auth_request,
        user_srp_auth_request,
    )

__version__ = "0.1.0"

# The request builders load on first use (PEP 562): ``import srpkit`` for UserSRP,
# DeviceSRP and secret_hash then costs ~10 ms less (measured with python -X importtime).
_LAZY = {
    "admin_initiate_auth_request": "admin",
    "admin_respond_to_auth_challenge_request": "admin",
    "admin_user_srp_auth_request": "admin",
    "challenge_answer_request": "answers",
    "challenge_responses": "answers",
    "get_tokens_from_refresh_token_request": "refresh",
    "refresh_request": "refresh",
    "custom_auth_srp_request": "requests",
    "device_password_verifier_request": "requests",
    "device_srp_auth_request": "requests",
    "initiate_auth_request": "requests",
    "password_verifier_request": "requests",
    "respond_to_auth_challenge_request": "requests",
    "select_password_srp_request": "requests",
    "user_auth_request": "requests",
    "user_srp_auth_request": "requests",
}


def __getattr__(name: str) -> Any:
    """A request builder, imported on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'srpkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"._client.{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    """The module's names, the lazy ones included."""
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "BackendUnavailableError",
    "DeviceSRP",
    "DeviceSecret",
    "InvalidChallengeError",
    "InvalidInputError",
    "MissingDependencyError",
    "MissingParameterError",
    "ParameterTypeError",
    "SRPKitError",
    "UserSRP",
    "VerificationError",
    "__version__",
    "admin_initiate_auth_request",
    "admin_respond_to_auth_challenge_request",
    "admin_user_srp_auth_request",
    "backend",
    "challenge_answer_request",
    "challenge_responses",
    "custom_auth_srp_request",
    "device_password_verifier_request",
    "device_srp_auth_request",
    "device_verifier_config",
    "format_timestamp",
    "get_tokens_from_refresh_token_request",
    "hardened",
    "initiate_auth_request",
    "new_device_secret",
    "pad_hex",
    "password_verifier_request",
    "refresh_request",
    "respond_to_auth_challenge_request",
    "secret_hash",
    "select_password_srp_request",
    "set_hardened",
    "user_auth_request",
    "user_srp_auth_request",
]
