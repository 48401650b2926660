"""SECRET_HASH: base64 HMAC-SHA256 keyed with the app client secret over username || client id."""

from __future__ import annotations

import hashlib
import hmac

from ._encoding import b64encode, require_str, utf8_field
from ._validate import check_client_id, check_username

__all__ = ["secret_hash"]

# The API model caps ClientSecretType at 64 characters; the cap here is looser on
# purpose (only to bound work), since a secret we reject is a login we break.
_MAX_CLIENT_SECRET = 1024


def secret_hash(username: str, client_id: str, client_secret: str) -> str:
    """The SECRET_HASH for ``username`` at the app client ``client_id`` with ``client_secret``."""
    check_username(username, "username")
    check_client_id(client_id)
    require_str(client_secret, "client_secret", max_len=_MAX_CLIENT_SECRET)
    key = utf8_field(client_secret, "client_secret")
    message = utf8_field(username, "username") + client_id.encode("ascii")
    return b64encode(hmac.new(key, message, hashlib.sha256).digest())
