"""SECRET_HASH: base64 HMAC-SHA256 keyed with the app client secret over username || client id."""

from __future__ import annotations

import hashlib
import hmac

from .caps import MAX_CLIENT_SECRET, MAX_SECRET_HASH
from .checks import check_client_id, check_username
from .encoding import b64encode, require_str, utf8_field

__all__ = ["secret_hash", "secret_hash_matches"]


def secret_hash(username: str, client_id: str, client_secret: str) -> str:
    """The SECRET_HASH for ``username`` at the app client ``client_id`` with ``client_secret``."""
    check_username(username, "username")
    check_client_id(client_id)
    require_str(client_secret, "client_secret", max_len=MAX_CLIENT_SECRET)
    key = utf8_field(client_secret, "client_secret")
    message = utf8_field(username, "username") + client_id.encode("ascii")
    return b64encode(hmac.new(key, message, hashlib.sha256).digest())


def secret_hash_matches(given: object, username: str, client_id: str, client_secret: str) -> bool:
    """Whether ``given`` is the SECRET_HASH for ``username``: compared in constant time.

    The one check the server and the endpoint share (each words its own refusal);
    a value that is not a str, or longer than SecretHashType allows, never matches.
    """
    if not isinstance(given, str) or len(given) > MAX_SECRET_HASH:
        return False
    expected = secret_hash(username, client_id, client_secret)
    # Bytes: compare_digest refuses non-ASCII str; "replace" keeps any str comparable.
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("ascii"))
