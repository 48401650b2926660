"""srpkit: the client crypto Amazon Cognito user pools demand, exact and fast.

SRP-6a over the RFC 3526 3072-bit group (SRP_A, PASSWORD_CLAIM_SIGNATURE),
remembered-device verifiers and SECRET_HASH, bit-identical to the official
JavaScript clients.
"""

from __future__ import annotations

from ._arith import backend
from ._encoding import pad_hex
from ._errors import (
    BackendUnavailableError,
    InvalidChallengeError,
    InvalidInputError,
    MissingParameterError,
    ParameterTypeError,
    SRPKitError,
)
from ._secret_hash import secret_hash
from ._timestamp import format_timestamp
from ._user import UserSRP

__version__ = "0.1.0"

__all__ = [
    "BackendUnavailableError",
    "InvalidChallengeError",
    "InvalidInputError",
    "MissingParameterError",
    "ParameterTypeError",
    "SRPKitError",
    "UserSRP",
    "__version__",
    "backend",
    "format_timestamp",
    "pad_hex",
    "secret_hash",
]
