"""User pool rules that are not SRP: password policies, user attributes, sign-in names, identifiers.

Each check raises ``ServiceError`` with the code and (close to) the message
Cognito answers with, so a client under test sees what production would show.
"""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Mapping
from typing import Any

from .._core.caps import MAX_PASSWORD
from .._core.checks import check_username
from .._core.errors import SRPKitError, VerificationError
from .state import PoolRecord, PoolUser

__all__ = [
    "DEFAULT_PASSWORD_POLICY",
    "ServiceError",
    "check_password_policy",
    "check_request_text",
    "checked_username",
    "new_client_id",
    "new_client_secret",
    "new_pool_id",
    "read_attributes",
    "read_bool",
    "read_int",
    "read_list",
    "read_string_map",
    "read_text",
    "sign_in_names",
    "signup_username",
]


class ServiceError(Exception):
    """An API error as Cognito would return it (``code``, ``message``), plus srpkit's diagnosis.

    ``detail`` is the VerificationError behind a NotAuthorizedException, which
    Cognito itself never reveals; srpkit serve logs it only when asked.
    """

    def __init__(self, code: str, message: str, detail: VerificationError | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.detail = detail


def _invalid(message: str) -> ServiceError:
    return ServiceError("InvalidParameterException", message)


# What CreateUserPool applies when Policies.PasswordPolicy is not given.
DEFAULT_PASSWORD_POLICY: dict[str, Any] = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}
_SYMBOLS = frozenset("^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ")
_POLICY_RULES = (
    ("RequireUppercase", frozenset(string.ascii_uppercase), "uppercase"),
    ("RequireLowercase", frozenset(string.ascii_lowercase), "lowercase"),
    ("RequireNumbers", frozenset(string.digits), "numeric"),
    ("RequireSymbols", _SYMBOLS, "symbol"),
)
STANDARD_ATTRIBUTES = frozenset(
    {
        "address",
        "birthdate",
        "email",
        "email_verified",
        "family_name",
        "gender",
        "given_name",
        "locale",
        "middle_name",
        "name",
        "nickname",
        "phone_number",
        "phone_number_verified",
        "picture",
        "preferred_username",
        "profile",
        "updated_at",
        "website",
        "zoneinfo",
    }
)
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+")
_PHONE_RE = re.compile(r"\+[0-9]{4,15}")
_ID_ALPHABET = string.ascii_letters + string.digits
_LOWER_ALPHABET = string.ascii_lowercase + string.digits
_MAX_ATTRIBUTE_VALUE = 2048
# UTF-16 surrogates: valid in JSON text as \ud800 escapes, but alone they are no character
# and cannot be UTF-8 (so no password, name or hash input can hold one).
_SURROGATE_RE = re.compile(r"[\ud800-\udfff]")
_MAX_FIELD_NAME = 64


def check_password_policy(policy: Mapping[str, Any], password: object) -> str:
    """``password`` if the pool's policy admits it; else InvalidPasswordException as Cognito words it."""
    if not isinstance(password, str) or not password or len(password) > MAX_PASSWORD:
        raise ServiceError(
            "InvalidPasswordException", f"Password must be 1 to {MAX_PASSWORD} characters."
        )
    problem = None
    if len(password) < int(policy.get("MinimumLength", 8)):
        problem = "Password not long enough"
    else:
        for key, allowed, kind in _POLICY_RULES:
            if policy.get(key) and not any(ch in allowed for ch in password):
                problem = f"Password must have {kind} characters"
                break
    if problem is not None:
        raise ServiceError(
            "InvalidPasswordException", f"Password did not conform with policy: {problem}"
        )
    return password


def _lone_surrogate(text: str) -> bool:
    return not text.isascii() and _SURROGATE_RE.search(text) is not None


def _member(where: str, key: object) -> str:
    if isinstance(key, int):
        return f"{where}[{key}]"
    name = str(key)[:_MAX_FIELD_NAME]
    return f"{where}.{name}" if where else name


def check_request_text(request: Mapping[str, Any]) -> None:
    """Refuse a request any string of which (member name or value, at any depth) is not Unicode text.

    Checked once, before any operation reads the request, so that no password,
    username or secret with a lone surrogate reaches code that must encode it.
    The error names the field (as ``Name.Member[0].Value``), never its value.
    """
    # Iterative (the request can nest as deep as json.loads allows); paths are
    # only spelled out for containers and for the error.
    stack: list[tuple[str, object, object]] = [("", None, request)]
    seen: set[int] = set()
    while stack:
        parent, key, value = stack.pop()
        if isinstance(value, str):
            if _lone_surrogate(value):
                raise _invalid(
                    f"{_member(parent, key)}: not valid Unicode text (contains a lone surrogate)"
                )
            continue
        if not isinstance(value, (Mapping, list, tuple)) or id(value) in seen:
            continue
        seen.add(id(value))  # a Python caller's request may share or loop its containers
        where = parent if key is None else _member(parent, key)
        if isinstance(value, Mapping):
            for name in value:
                if isinstance(name, str) and _lone_surrogate(name):
                    raise _invalid(
                        f"{where or 'request'}: a member name is not valid Unicode text "
                        "(contains a lone surrogate)"
                    )
            stack += [(where, str(name), item) for name, item in value.items()]
        else:
            stack += [(where, i, item) for i, item in enumerate(value)]


def read_text(
    request: Mapping[str, Any], name: str, *, required: bool = True, max_len: int = 2048
) -> str | None:
    """A string member of the request, checked for presence, type and length."""
    value = request.get(name)
    if value is None:
        if required:
            raise _invalid(f"{name}: required (Member must not be null)")
        return None
    if not isinstance(value, str):
        raise ServiceError("SerializationException", f"{name}: expected a string")
    if not 1 <= len(value) <= max_len:
        raise _invalid(f"{name}: must be 1 to {max_len} characters")
    return value


def read_bool(request: Mapping[str, Any], name: str, default: bool) -> bool:
    """A boolean member (absent: ``default``)."""
    value = request.get(name, default)
    if not isinstance(value, bool):
        raise ServiceError("SerializationException", f"{name}: expected a boolean")
    return value


def read_int(
    request: Mapping[str, Any], name: str, low: int, high: int, *, within: str = ""
) -> int | None:
    """An integer member within [low, high], or None when absent.

    ``within`` names the structure holding it ("RefreshTokenRotation."), so that
    a refusal names the member's whole path.
    """
    value = request.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServiceError("SerializationException", f"{within}{name}: expected an integer")
    if not low <= value <= high:
        raise _invalid(f"{within}{name}: must be between {low} and {high}")
    return value


def read_list(request: Mapping[str, Any], name: str, allowed: frozenset[str]) -> tuple[str, ...]:
    """A list of enum strings (absent: empty)."""
    value = request.get(name)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ServiceError("SerializationException", f"{name}: expected a list of strings")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise _invalid(f"{name}: {unknown[0][:64]!r} is not one of {', '.join(sorted(allowed))}")
    return tuple(dict.fromkeys(value))


def read_string_map(request: Mapping[str, Any], name: str) -> dict[str, str]:
    """A map of strings to strings (absent: empty); a key whose value is null is left out.

    amazon-cognito-identity-js sends ``"DEVICE_KEY": null`` when it has no device,
    and Cognito takes such a key as absent.
    """
    value = request.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in value.items()
    ):
        raise ServiceError("SerializationException", f"{name}: expected a map of strings")
    return {k: v for k, v in value.items() if v is not None}


def read_attributes(request: Mapping[str, Any], name: str = "UserAttributes") -> dict[str, str]:
    """UserAttributes ``[{"Name", "Value"}]`` as a dict, checked against the standard schema."""
    value = request.get(name)
    if value is None:
        return {}
    if not isinstance(value, list):
        raise ServiceError("SerializationException", f"{name}: expected a list")
    out: dict[str, str] = {}
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("Name"), str):
            raise ServiceError("SerializationException", f"{name}: each item needs a Name")
        attr, text = item["Name"], item.get("Value", "")
        if not isinstance(text, str) or len(text) > _MAX_ATTRIBUTE_VALUE:
            raise _invalid(f"{name}.{attr[:64]}: expected a string of at most 2048 characters")
        if attr == "sub":
            raise _invalid("Cannot modify an immutable attribute: sub")
        if attr not in STANDARD_ATTRIBUTES and not (
            attr.startswith("custom:") and 8 <= len(attr) <= 27
        ):
            raise _invalid(f"Attribute does not exist in the schema: {attr[:64]}")
        if attr.endswith("_verified") and text not in ("true", "false"):
            raise _invalid(f"{attr}: must be 'true' or 'false'")
        out[attr] = text
    return out


def checked_username(name: str, field: str) -> str:
    """``name`` if Cognito admits it as a username, else InvalidParameterException naming ``field``."""
    try:
        return check_username(name, field)
    except SRPKitError as exc:
        raise _invalid(str(exc)) from None


def signup_username(pool: PoolRecord, given: str, attributes: dict[str, str]) -> str | None:
    """The username a new user gets for the ``given`` one (None: a fresh UUID is the username).

    With UsernameAttributes the given name is the user's email or phone number:
    it becomes that attribute and the user's username is a UUID, as in Cognito
    (so USER_ID_FOR_SRP differs from what the user types). With AliasAttributes
    the username may not look like an email or phone number that could be an alias.
    """
    checked_username(given, "Username")
    if pool.username_attributes:
        if "email" in pool.username_attributes and _EMAIL_RE.fullmatch(given):
            attributes["email"] = given
        elif "phone_number" in pool.username_attributes and _PHONE_RE.fullmatch(given):
            attributes["phone_number"] = given
        else:
            kinds = " or ".join(
                "an email" if a == "email" else "a phone number" for a in pool.username_attributes
            )
            raise _invalid(f"Username should be {kinds}.")
        return None
    if "email" in pool.alias_attributes and _EMAIL_RE.fullmatch(given):
        raise _invalid(
            "Username cannot be of email format, since user pool is configured for email alias."
        )
    if "phone_number" in pool.alias_attributes and _PHONE_RE.fullmatch(given):
        raise _invalid(
            "Username cannot be of phone number format, since user pool is configured for "
            "phone number alias."
        )
    return given


def sign_in_names(pool: PoolRecord, user: PoolUser) -> list[str]:
    """The names besides its username a user can sign in with: username attributes, verified aliases."""
    names = [user.attributes[a] for a in pool.username_attributes if a in user.attributes]
    for attr in pool.alias_attributes:
        value = user.attributes.get(attr)
        verified = attr == "preferred_username" or user.attributes.get(f"{attr}_verified") == "true"
        if value and verified:
            names.append(value)
    return names


def new_pool_id(region: str) -> str:
    """A user pool id: ``<region>_<9 letters and digits>``."""
    return f"{region}_" + "".join(secrets.choice(_ID_ALPHABET) for _ in range(9))


def new_client_id() -> str:
    """An app client id: 26 lowercase letters and digits."""
    return "".join(secrets.choice(_LOWER_ALPHABET) for _ in range(26))


def new_client_secret() -> str:
    """An app client secret: 51 lowercase letters and digits, as Cognito generates."""
    return "".join(secrets.choice(_LOWER_ALPHABET) for _ in range(51))
