"""SECRET_HASH: base64 HMAC-SHA256 keyed with the app client secret over username || client id."""

from __future__ import annotations

import hashlib
import hmac

from ._encoding import b64encode, require_str, utf8_field
from ._validate import MAX_CLIENT_SECRET, check_client_id, check_username

__all__ = ["secret_hash"]


def secret_hash(username: str, client_id: str, client_secret: str) -> str:
    """The SECRET_HASH for ``username`` at the app client ``client_id`` with ``client_secret``."""
    check_username(username, "username")
    check_client_id(client_id)
    require_str(client_secret, "client_secret", max_len=MAX_CLIENT_SECRET)
    key = utf8_field(client_secret, "client_secret")
    message = utf8_field(username, "username") + client_id.encode("ascii")
    return b64encode(hmac.new(key, message, hashlib.sha256).digest())
