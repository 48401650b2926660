"""Checks for the identifiers Cognito's API model constrains (patterns and lengths from botocore)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any, TypeVar

from .caps import (
    MAX_CLIENT_ID,
    MAX_CLIENT_SECRET,
    MAX_DEVICE_GROUP_KEY,
    MAX_DEVICE_KEY,
    MAX_PASSWORD,
    MAX_POOL_ID,
    MAX_USERNAME,
)
from .encoding import require_str, utf8_field
from .errors import InvalidInputError, SRPKitError

__all__ = [
    "Problems",
    "check_client_id",
    "check_device_group_key",
    "check_device_key",
    "check_optional_secret",
    "check_password",
    "check_username",
    "pool_name",
    "region_of",
]

_T = TypeVar("_T")

# Java-regex patterns of the API model, where \w is ASCII-only; hence re.ASCII.
_CLIENT_ID_RE = re.compile(r"[\w+]+", re.ASCII)
_DEVICE_KEY_RE = re.compile(r"[\w-]+_[0-9a-f-]+", re.ASCII)
# The model allows [\w-]+_[0-9a-zA-Z]+, which admits more than one '_'. The JS
# clients take split('_')[1] and the service the part after the region, so with a
# second '_' they could disagree; real pool ids have exactly one, so we require it.
_POOL_ID_RE = re.compile(r"([A-Za-z0-9-]+)_([0-9a-zA-Z]+)", re.ASCII)
# UsernameType is [\p{L}\p{M}\p{S}\p{N}\p{P}]+: letters, marks, symbols, numbers, punctuation.
_USERNAME_CATEGORIES = frozenset("LMSNP")


def pool_name(pool_id: object) -> str:
    """Check a user pool id (``us-east-1_AbC123``) and return the part after ``_``."""
    text = require_str(pool_id, "pool_id", max_len=MAX_POOL_ID)
    match = _POOL_ID_RE.fullmatch(text)
    if match is None:
        raise InvalidInputError(
            "pool_id: not a user pool id of the form '<region>_<id>' (e.g. 'us-east-1_AbC123')",
            fields=("pool_id",),
        )
    return match.group(2)


# What botocore accepts as a region name (a host label); `srpkit serve --region` may name any.
_REGION_RE = re.compile(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?", re.ASCII)


def region_of(pool_id_or_region: object) -> str:
    """The AWS region a user pool id names (``eu-west-1_AbC`` -> ``eu-west-1``), or a region given as is."""
    text = require_str(pool_id_or_region, "pool_id", max_len=MAX_POOL_ID)
    if "_" in text:
        pool_name(text)
        text = text.split("_", 1)[0]
    if not _REGION_RE.fullmatch(text):
        raise InvalidInputError(
            "pool_id: does not name an AWS region (e.g. 'eu-west-1_AbC123' or 'eu-west-1')",
            fields=("pool_id",),
        )
    return text


def check_client_id(client_id: object, field: str = "client_id") -> str:
    """Check an app client id against ClientIdType (1-128 characters of [A-Za-z0-9_+])."""
    text = require_str(client_id, field, max_len=MAX_CLIENT_ID)
    if not _CLIENT_ID_RE.fullmatch(text):
        raise InvalidInputError(
            f"{field}: may contain only ASCII letters, digits, '_' and '+'", fields=(field,)
        )
    return text


def check_device_key(device_key: object, field: str = "device_key") -> str:
    """Check a device key against DeviceKeyType (``<region>_<uuid>``, at most 55 characters)."""
    text = require_str(device_key, field, max_len=MAX_DEVICE_KEY)
    if not _DEVICE_KEY_RE.fullmatch(text):
        raise InvalidInputError(
            f"{field}: not a device key of the form '<region>_<lowercase uuid>'", fields=(field,)
        )
    return text


def check_username(
    username: object, field: str = "username", *, error: type[SRPKitError] = InvalidInputError
) -> str:
    """Check a user name against UsernameType (1-128 letters, marks, symbols, digits, punctuation)."""
    text = require_str(username, field, max_len=MAX_USERNAME, error=error)
    if text.isascii():
        # Every printable ASCII character but the space is a letter, digit,
        # punctuation mark or symbol: one C-level scan instead of a category per character.
        if text.isprintable() and " " not in text:
            return text
    else:
        utf8_field(text, field, error=error)
    for ch in text:
        if unicodedata.category(ch)[0] not in _USERNAME_CATEGORIES:
            raise error(
                f"{field}: contains a space, control or unassigned character, "
                "which Cognito user names cannot",
                fields=(field,),
            )
    return text


def check_device_group_key(device_group_key: object, field: str = "device_group_key") -> str:
    """Check a DeviceGroupKey (NewDeviceMetadata's): non-empty text that hashes as UTF-8.

    Client and server read the same cap, so a key the client signs with is one
    the server verifies (they once disagreed: 1024 against 128).
    """
    text = require_str(device_group_key, field, max_len=MAX_DEVICE_GROUP_KEY)
    utf8_field(text, field)
    return text


def check_password(password: object, field: str = "password") -> str:
    """Check a password is non-empty text Cognito could store (at most 256 characters)."""
    text = require_str(password, field, max_len=MAX_PASSWORD)
    utf8_field(text, field)
    return text


class Problems:
    """Collects argument errors so that one exception reports every bad argument together."""

    def __init__(self) -> None:
        self._errors: list[SRPKitError] = []

    def check(self, func: Callable[..., _T], *args: Any, **kwargs: Any) -> _T | None:
        """Call ``func(*args, **kwargs)`` and return what it returns; on an SRPKitError,
        remember it and return None (``raise_any`` raises it before the value is used).
        """
        try:
            return func(*args, **kwargs)
        except SRPKitError as exc:
            self._errors.append(exc)
            return None

    def raise_any(self) -> None:
        """Raise the one error, or one that joins them all (typed as they agree), if any."""
        if len(self._errors) == 1:
            raise self._errors[0]
        if self._errors:
            kinds = {type(e) for e in self._errors}
            kind = kinds.pop() if len(kinds) == 1 else InvalidInputError
            raise kind(
                "; ".join(str(e) for e in self._errors),
                fields=[f for e in self._errors for f in e.fields],
            )


def check_optional_secret(value: object, field: str) -> None:
    """Check an optional secret string (``None`` allowed) without ever echoing it."""
    if value is not None:
        utf8_field(require_str(value, field, max_len=MAX_CLIENT_SECRET), field)
