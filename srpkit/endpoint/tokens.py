"""JSON Web Tokens for ``srpkit serve``: RS256 signing keys, their JWKS, and checking our own tokens.

Written on ``cryptography`` (srpkit's one dependency) so that the server needs
nothing more; any JWT library (PyJWT, jose, aws-jwt-verify) can verify what it
signs against the JWKS it publishes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from .._core.caps import MAX_TOKEN
from .._core.jsonio import load_json

__all__ = ["SigningKey", "unverified_claims"]

_KEY_BITS = 2048


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


_B64URL_RE = re.compile(r"[A-Za-z0-9_-]*")


def _b64url_decode(text: str) -> bytes:
    """Bytes of canonical unpadded base64url; anything else raises binascii.Error.

    The stdlib decoder skips junk characters, takes padding and ignores unused
    trailing bits, so many spellings of one signature would verify; a token has
    exactly one spelling, the one we signed.
    """
    if not _B64URL_RE.fullmatch(text) or len(text) % 4 == 1:
        raise binascii.Error("not canonical base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64url(data) != text:  # unused trailing bits set
        raise binascii.Error("not canonical base64url")
    return data


def _b64url_json(value: Mapping[str, Any]) -> str:
    return _b64url(json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8"))


def _uint(value: int) -> str:
    return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _split(token: object) -> tuple[str, str, str] | None:
    # Cognito's tokens are 1-2 KB; the cap bounds the work a forged one can cause.
    if not isinstance(token, str) or len(token) > MAX_TOKEN:
        return None
    parts = token.split(".")
    if len(parts) != 3:
        return None
    return parts[0], parts[1], parts[2]


def _json_part(text: str) -> dict[str, Any] | None:
    try:
        value = load_json(_b64url_decode(text))
    except (binascii.Error, ValueError):  # bad base64url (or not ASCII), or a JSONTextError
        return None
    return value if isinstance(value, dict) else None


def unverified_claims(token: object) -> dict[str, Any] | None:
    """The claims of a JWT, unchecked: only to find which pool's key must then verify it."""
    parts = _split(token)
    return None if parts is None else _json_part(parts[1])


class SigningKey:
    """One pool's RS256 key: signs its tokens, publishes its JWK, verifies tokens it signed."""

    __slots__ = ("_key", "_public", "kid")

    def __init__(self, private_key: rsa.RSAPrivateKey) -> None:
        self._key = private_key
        self._public = private_key.public_key()
        der = self._public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        # A stable id derived from the public key, so a restored key keeps its kid.
        self.kid = _b64url(hashlib.sha256(der).digest())

    @classmethod
    def generate(cls) -> SigningKey:
        """A fresh 2048-bit RSA key (Cognito's size)."""
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=_KEY_BITS))

    @classmethod
    def from_pem(cls, pem: str) -> SigningKey:
        """The key saved by ``to_pem``."""
        key = serialization.load_pem_private_key(pem.encode("ascii"), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the stored signing key is not an RSA key")
        return cls(key)

    def to_pem(self) -> str:
        """The private key as unencrypted PKCS#8 PEM: a secret, for the state file only."""
        return self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode("ascii")

    def __repr__(self) -> str:
        return f"SigningKey(kid={self.kid!r}, private_key=<redacted>)"

    def jwk(self) -> dict[str, str]:
        """The public key as a JWKS entry, shaped as Cognito publishes it."""
        numbers = self._public.public_numbers()
        return {
            "alg": "RS256",
            "e": _uint(numbers.e),
            "kid": self.kid,
            "kty": "RSA",
            "n": _uint(numbers.n),
            "use": "sig",
        }

    def sign(self, claims: Mapping[str, Any]) -> str:
        """A compact JWS (RS256) of ``claims`` with this key's kid in the header."""
        signing_input = (
            f"{_b64url_json({'alg': 'RS256', 'kid': self.kid})}.{_b64url_json(claims)}"
        ).encode("ascii")
        signature = self._key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input.decode('ascii')}.{_b64url(signature)}"

    def verify(self, token: object) -> dict[str, Any] | None:
        """The claims of ``token`` if this key signed it (RS256, our kid); ``None`` otherwise.

        Only the signature is checked here; expiry and token_use are the caller's.
        """
        parts = _split(token)
        if parts is None:
            return None
        header = _json_part(parts[0])
        if header is None or header.get("alg") != "RS256" or header.get("kid") != self.kid:
            return None
        try:
            signature = _b64url_decode(parts[2])
            self._public.verify(
                signature,
                f"{parts[0]}.{parts[1]}".encode("ascii"),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except (binascii.Error, ValueError, UnicodeEncodeError, InvalidSignature):
            return None
        return _json_part(parts[1])
