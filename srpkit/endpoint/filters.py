"""ListUsers' Filter: ``attribute = "value"`` (exact) or ``attribute ^= "value"`` (prefix).

As the API reference words it (ListUsers, request parameter Filter; quoted in
rusoto_cognito_idp's ListUsersRequest docs and in getmoto/moto#4389): a filter
string of the form ``AttributeName Filter-Type "AttributeValue"``, quotation
marks in the value escaped with a backslash, one attribute at a time, an empty
string listing every user. Searchable: username (case-sensitive), email,
phone_number, name, given_name, family_name, preferred_username,
cognito:user_status (case-insensitive), status (case-sensitive, Enabled or
Disabled) and sub; custom attributes are not. A string that does not parse is
InvalidParameterException "Error while parsing filter." (aws/aws-sdk-php#1088).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .state import PoolUser
from .wire import ServiceError

__all__ = ["SEARCHABLE", "UserFilter", "parse_filter"]

SEARCHABLE = (
    "username",
    "email",
    "phone_number",
    "name",
    "given_name",
    "family_name",
    "preferred_username",
    "cognito:user_status",
    "status",
    "sub",
)
_FILTER_RE = re.compile(r'\s*([a-z_:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*', re.DOTALL)
_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)
_PARSE_ERROR = "Error while parsing filter."


def _value_of(attribute: str) -> Callable[[PoolUser], str | None]:
    if attribute == "username":
        return lambda user: user.username
    if attribute == "sub":
        return lambda user: user.sub
    if attribute == "cognito:user_status":
        return lambda user: user.status.lower()
    if attribute == "status":
        return lambda user: "Enabled" if user.enabled else "Disabled"
    return lambda user: user.attributes.get(attribute)


@dataclass(frozen=True)
class UserFilter:
    """One parsed filter: which attribute, exact or prefix, and the value."""

    attribute: str
    prefix: bool
    value: str

    def matches(self, user: PoolUser) -> bool:
        """Whether ``user`` passes the filter."""
        have = _value_of(self.attribute)(user)
        if have is None:
            return False
        want = self.value.lower() if self.attribute == "cognito:user_status" else self.value
        return have.startswith(want) if self.prefix else have == want


def parse_filter(text: str | None) -> UserFilter | None:
    """The filter ``text`` spells (None: no filter, every user), or InvalidParameterException."""
    if text is None or not text.strip():
        return None
    match = _FILTER_RE.fullmatch(text)
    if match is None or match.group(1) not in SEARCHABLE:
        raise ServiceError("InvalidParameterException", _PARSE_ERROR)
    value = _ESCAPE_RE.sub(r"\1", match.group(3))
    return UserFilter(match.group(1), match.group(2) == "^=", value)
