"""Paged answers for the List* operations: page sizes as AWS validates them, and opaque page tokens.

A page token names the sort key of the last item a page held, so the next
page starts right after it even when that item was deleted meanwhile (a
position would skip or repeat items; a restart at page one would loop a client
that pages to the end).
"""

from __future__ import annotations

import base64
import binascii
import bisect
from collections.abc import Callable, Sequence
from typing import TypeVar

from .context import Request
from .wire import ServiceError

__all__ = ["page", "read_limit"]

_T = TypeVar("_T")
_PREFIX = "srpkit1."
# SearchPaginationTokenType and PaginationKey have no useful maximum; our own keys
# (usernames, ids, device keys) fit in well under this.
_MAX_TOKEN = 1024


def _validation(value: object, member: str, constraint: str) -> ServiceError:
    # AWS's own wording for a member outside its model's range, e.g. boto/boto3#1356:
    # "1 validation error detected: Value '100' at 'limit' failed to satisfy constraint:
    # Member must have value less than or equal to 60".
    return ServiceError(
        "InvalidParameterException",
        f"1 validation error detected: Value '{value}' at '{member}' failed to satisfy "
        f"constraint: Member must have value {constraint}",
    )


def read_limit(
    request: Request, name: str, *, low: int, default: int, required: bool = False
) -> int:
    """A page size member (``Limit``, ``MaxResults``): ``low`` to 60, ``default`` when absent or 0.

    A missing required MaxResults is answered as AWS answers ListIdentityProviders
    without it (aws/aws-cli#3866): the value 0 is below the minimum of 1.
    """
    member = name[0].lower() + name[1:]
    value = request.get(name)
    if value is None:
        if required:
            raise _validation(0, member, f"greater than or equal to {low}")
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError("SerializationException", f"{name}: expected an integer")
    if value < low:
        raise _validation(value, member, f"greater than or equal to {low}")
    if value > 60:
        raise _validation(value, member, "less than or equal to 60")
    return value or default


def _token(key: str) -> str:
    return _PREFIX + base64.urlsafe_b64encode(key.encode("utf-8")).decode("ascii")


def _after(request: Request, name: str) -> str | None:
    """The sort key a page token carries (None: the first page)."""
    value = request.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ServiceError("SerializationException", f"{name}: expected a string")
    key: str | None = None
    if value.startswith(_PREFIX) and len(value) <= _MAX_TOKEN:
        try:
            key = base64.urlsafe_b64decode(value[len(_PREFIX) :].encode("ascii")).decode("utf-8")
        except (binascii.Error, UnicodeError, ValueError):
            key = None
    if key is None or _token(key) != value:
        # Cognito's wording for a token it did not issue (aws/aws-sdk-js#3705):
        # "Paging marker <token> is invalid for request <request id>".
        raise ServiceError(
            "InvalidParameterException", f"Paging marker {value[:64]} is invalid for request"
        )
    return key


def page(
    items: Sequence[_T], key: Callable[[_T], str], request: Request, token_name: str, limit: int
) -> tuple[list[_T], str | None]:
    """One page of ``items`` in ``key`` order from the request's token, and the next page's token."""
    after = _after(request, token_name)
    ordered = sorted(items, key=key)
    keys = [key(item) for item in ordered]
    start = 0 if after is None else bisect.bisect_right(keys, after)
    chunk = ordered[start : start + limit]
    more = start + limit < len(ordered)
    return chunk, (_token(keys[start + limit - 1]) if more else None)
