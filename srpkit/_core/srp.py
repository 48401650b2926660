"""SRP-6a as Cognito runs it: pure functions of every input, no randomness, no I/O.

Each function takes integers and strings and returns what the official clients
compute at that step, so a known-answer test can reach every intermediate.
``realm`` and ``user_id`` are the two names Cognito hashes into x and signs: the
pool name and USER_ID_FOR_SRP for a user, the device group key and device key
for a remembered device.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import NamedTuple

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .backend import powmod, powmod_g
from .caps import MAX_SMALL_A_BITS, MAX_SRP_A_BITS, MAX_SRP_A_HEX
from .encoding import b64encode, hash_hex, hex_hash_int, int_from_hex_field, pad_hex
from .errors import InvalidChallengeError, InvalidInputError, SRPKitError
from .group import K, N

__all__ = [
    "PasswordClaim",
    "ServerProof",
    "derive_key",
    "password_claim",
    "password_claim_signature",
    "premaster_secret",
    "private_key",
    "public_ephemeral",
    "read_public_ephemeral",
    "scrambling_parameter",
    "server_premaster_secret",
    "server_proof",
    "server_public_ephemeral",
    "verifier",
]

HKDF_INFO = b"Caldera Derived Key"
KEY_BYTES = 16


def public_ephemeral(a: int) -> int:
    """A = g^a mod N for the private ephemeral ``a``, used unreduced as the official clients do.

    Any a >= 1 up to ``caps.MAX_SMALL_A_BITS`` bits (a work bound); A = 0 mod N is
    refused, as the JS clients refuse it (it cannot happen for g = 2 and a prime N).
    """
    if a < 1 or a.bit_length() > MAX_SMALL_A_BITS:
        raise InvalidInputError(f"a: must satisfy 1 <= a < 2^{MAX_SMALL_A_BITS}", fields=("a",))
    big_a = powmod_g(a)
    if big_a % N == 0:
        raise InvalidInputError("a: gives A = 0 mod N", fields=("a",))
    return big_a


def read_public_ephemeral(
    value: object, field: str = "SRP_A", *, error: type[SRPKitError] = InvalidInputError
) -> int:
    """SRP_A's hex as a number, read the one way the server and the device step read it.

    Capped in length before it is scanned and in bits before any arithmetic (an
    oversized A only burns the reader's CPU); A = 0 mod N is refused, since g^a
    never is and S would then be 0 whatever the password.
    """
    big_a = int_from_hex_field(value, field, max_len=MAX_SRP_A_HEX, error=error)
    if big_a.bit_length() > MAX_SRP_A_BITS:
        raise error(f"{field}: larger than 2^{MAX_SRP_A_BITS}", fields=(field,))
    if big_a % N == 0:
        raise error(
            f"{field}: is 0 modulo N (it would authenticate without the password)",
            fields=(field,),
        )
    return big_a


def scrambling_parameter(big_a: int, big_b: int) -> int:
    """u = H(pad(A) || pad(B)), with B exactly as the server sent it (not reduced mod N)."""
    return hex_hash_int(pad_hex(big_a) + pad_hex(big_b))


def private_key(salt: int, realm: str, user_id: str, password: str) -> int:
    """x = H(pad(salt) || H(realm || user_id || ":" || password)); the salt may be negative."""
    inner = hash_hex(f"{realm}{user_id}:{password}".encode())
    return hex_hash_int(pad_hex(salt) + inner)


def verifier(x: int) -> int:
    """v = g^x mod N, what the server stores (and ConfirmDevice receives) for private key x."""
    return powmod_g(x)


def premaster_secret(big_b: int, x: int, a: int, u: int) -> int:
    """S = (B - k * g^x)^(a + u * x) mod N."""
    return powmod(big_b - K * verifier(x), a + u * x, N)


def derive_key(premaster: int, u: int) -> bytes:
    """The 16-byte key: HKDF-SHA256(ikm = pad(S), salt = pad(u), info = "Caldera Derived Key")."""
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=KEY_BYTES,
        salt=bytes.fromhex(pad_hex(u)),
        info=HKDF_INFO,
    )
    return hkdf.derive(bytes.fromhex(pad_hex(premaster)))


def password_claim_signature(
    key: bytes, realm: str, user_id: str, secret_block: bytes, timestamp: str
) -> str:
    """PASSWORD_CLAIM_SIGNATURE: base64 HMAC-SHA256(key, realm || user_id || secret_block || timestamp)."""
    message = realm.encode() + user_id.encode() + secret_block + timestamp.encode()
    return b64encode(hmac.new(key, message, hashlib.sha256).digest())


class PasswordClaim(NamedTuple):
    """Every intermediate of one PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) answer."""

    srp_a: int
    u: int
    x: int
    premaster: int
    key: bytes
    signature: str

    def __repr__(self) -> str:
        # S and the key are session secrets: a repr must not print them.
        return f"PasswordClaim(srp_a=0x{self.srp_a:x}, u=0x{self.u:x}, signature=<redacted>)"


def password_claim(
    *,
    a: int,
    big_a: int,
    big_b: int,
    salt: int,
    realm: str,
    user_id: str,
    password: str,
    secret_block: bytes,
    timestamp: str,
) -> PasswordClaim:
    """Run the client's side of the claim from A, B and the rest; refuse what the JS clients refuse."""
    if big_b % N == 0:
        # B = 0 mod N would make S independent of the password: a server (or a
        # man in the middle) could then "verify" anyone.
        raise InvalidChallengeError("SRP_B: is 0 modulo N; refusing to continue", fields=("SRP_B",))
    u = scrambling_parameter(big_a, big_b)
    if u == 0:
        raise InvalidChallengeError("SRP_B: gives u = 0; refusing to continue", fields=("SRP_B",))
    x = private_key(salt, realm, user_id, password)
    premaster = premaster_secret(big_b, x, a, u)
    key = derive_key(premaster, u)
    signature = password_claim_signature(key, realm, user_id, secret_block, timestamp)
    return PasswordClaim(big_a, u, x, premaster, key, signature)


# -- the server side: the same intermediates, computed from v and b instead of x and a --


def server_public_ephemeral(b: int, v: int) -> int:
    """B = (k * v + g^b) mod N for the server's private ephemeral ``b`` and the verifier ``v``."""
    return (K * v + public_ephemeral(b)) % N


def server_premaster_secret(big_a: int, v: int, u: int, b: int) -> int:
    """S = (A * v^u)^b mod N: the client's (B - k * g^x)^(a + u * x), computed without x."""
    return powmod(big_a * powmod(v, u, N) % N, b, N)


class ServerProof(NamedTuple):
    """What the server derives to check one claim: u, S, the key and the signature it expects."""

    u: int
    premaster: int
    key: bytes
    signature: str

    def __repr__(self) -> str:
        # S, the key and the expected signature would let anyone answer the challenge.
        return f"ServerProof(u=0x{self.u:x}, premaster=<redacted>, key=<redacted>)"


def server_proof(
    *,
    b: int,
    big_a: int,
    big_b: int,
    v: int,
    realm: str,
    user_id: str,
    secret_block: bytes,
    timestamp: str,
) -> ServerProof:
    """The signature a client knowing the password behind ``v`` must send, and its intermediates."""
    u = scrambling_parameter(big_a, big_b)
    premaster = server_premaster_secret(big_a, v, u, b)
    key = derive_key(premaster, u)
    return ServerProof(
        u, premaster, key, password_claim_signature(key, realm, user_id, secret_block, timestamp)
    )
