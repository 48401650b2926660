"""Cognito's SRP as the server side computes it, written from the protocol; imports nothing of srpkit.

The test double (tests/aws_double.py) checks srpkit's answers with this module, so
a mistake srpkit makes is not repeated here: every formula follows the protocol as
amazon-cognito-identity-js implements it, and tests/test_reference_srp.py proves it
against the known-answer vectors that the official JavaScript clients produced.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import datetime, timezone

# RFC 3526, section 4: the 3072-bit MODP group; Cognito uses it with generator 2.
N = int(
    "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1"
    "29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD"
    "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245"
    "E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED"
    "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D"
    "C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F"
    "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D"
    "670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B"
    "E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9"
    "DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510"
    "15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64"
    "ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7"
    "ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B"
    "F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C"
    "BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31"
    "43DB5BFC E0FD108E 4B82D120 A93AD2CA FFFFFFFF FFFFFFFF".replace(" ", ""),
    16,
)
G = 2
_HKDF_INFO = b"Caldera Derived Key"
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_TIMESTAMP_RE = re.compile(
    rf"({'|'.join(_WEEKDAYS)}) ({'|'.join(_MONTHS)}) ([1-9]|[12][0-9]|3[01]) "
    r"([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]) UTC ([1-9][0-9]*)"
)


def pad_hex(value: int) -> str:
    """amazon-cognito-identity-js's padHex: the shortest even-length big-endian two's-complement hex.

    That is the byte string Cognito hashes: 0x80 is "0080" (a set top bit would
    read as negative), 0xabc is "0abc", and -129 is "ff7f" (salts may be negative).
    """
    magnitude_bits = (~value if value < 0 else value).bit_length()
    return value.to_bytes(magnitude_bits // 8 + 1, "big", signed=True).hex()


def pad_bytes(value: int) -> bytes:
    """The bytes of ``pad_hex(value)``."""
    return bytes.fromhex(pad_hex(value))


def java_hex(value: int) -> str:
    """A number as Cognito prints it: Java's BigInteger.toString(16), minimal with a sign."""
    return format(value, "x")


def hash_int(data: bytes) -> int:
    """SHA-256 of ``data`` read as a big-endian number."""
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


K = hash_int(pad_bytes(N) + pad_bytes(G))


def pool_name(pool_id: str) -> str:
    """The part of a user pool id after the "_": what x and the signature hash, not the region."""
    region, _, name = pool_id.partition("_")
    if not region or not name:
        raise ValueError(f"not a user pool id: {pool_id!r}")
    return name


def private_x(salt: int, realm: str, name: str, password: str) -> int:
    """x = H(padHex(salt) | H(realm | name | ":" | password)).

    For a user the realm is the pool name and the name USER_ID_FOR_SRP; for a
    device, the device group key and the device key.
    """
    inner = hashlib.sha256(f"{realm}{name}:{password}".encode()).digest()
    return hash_int(pad_bytes(salt) + inner)


def verifier(x: int) -> int:
    """v = g^x mod N, what the pool (or ConfirmDevice) stores."""
    return pow(G, x, N)


def server_public(v: int, b: int) -> int:
    """B = (k*v + g^b) mod N."""
    return (K * v + pow(G, b, N)) % N


def scrambler(big_a: int, big_b: int) -> int:
    """u = H(padHex(A) | padHex(B)), with B as it was sent."""
    return hash_int(pad_bytes(big_a) + pad_bytes(big_b))


def server_premaster(big_a: int, v: int, u: int, b: int) -> int:
    """S = (A * v^u)^b mod N: the server's side of the client's (B - k*g^x)^(a + u*x)."""
    return pow(big_a * pow(v, u, N) % N, b, N)


def session_key(premaster: int, u: int) -> bytes:
    """HKDF-SHA256 (RFC 5869) of padHex(S) with salt padHex(u), info "Caldera Derived Key", 16 bytes."""
    prk = hmac.new(pad_bytes(u), pad_bytes(premaster), hashlib.sha256).digest()
    # One block of HKDF-Expand is 32 bytes, enough for the 16 Cognito takes.
    return hmac.new(prk, _HKDF_INFO + b"\x01", hashlib.sha256).digest()[:16]


def signature(key: bytes, realm: str, name: str, secret_block: bytes, timestamp: str) -> str:
    """PASSWORD_CLAIM_SIGNATURE: base64(HMAC-SHA256(key, realm | name | secret block bytes | TIMESTAMP))."""
    message = realm.encode() + name.encode() + secret_block + timestamp.encode()
    return base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def secret_hash(username: str, client_id: str, client_secret: str) -> str:
    """SECRET_HASH: base64(HMAC-SHA256(key = client secret, username | client id))."""
    mac = hmac.new(client_secret.encode(), (username + client_id).encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def format_timestamp(when: datetime) -> str:
    """TIMESTAMP as the official clients write it: "Tue Dec 1 20:05:09 UTC 2026" (no padded day)."""
    utc = when.astimezone(timezone.utc)
    return (
        f"{_WEEKDAYS[utc.weekday()]} {_MONTHS[utc.month - 1]} {utc.day} "
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d} UTC {utc.year}"
    )


def parse_timestamp(text: str) -> datetime:
    """The instant a TIMESTAMP names; ValueError unless it is spelled exactly as the clients spell it.

    Cognito refuses "Sep 05" and a wrong weekday (ministackorg/ministack#1758,
    measured), so both are errors here.
    """
    match = _TIMESTAMP_RE.fullmatch(text)
    if match is None:
        raise ValueError(f"TIMESTAMP not in the clients' format: {text!r}")
    weekday, month, day, hour, minute, second, year = match.groups()
    when = datetime(
        int(year),
        _MONTHS.index(month) + 1,
        int(day),
        int(hour),
        int(minute),
        int(second),
        tzinfo=timezone.utc,
    )
    if _WEEKDAYS[when.weekday()] != weekday:
        raise ValueError(f"TIMESTAMP names the wrong weekday: {text!r}")
    return when


def device_verifier_config(
    device_group_key: str, device_key: str, device_password: str, salt: int
) -> dict[str, str]:
    """ConfirmDevice's DeviceSecretVerifierConfig for ``salt``, as the official clients build it.

    Salt is base64 of padHex(salt) and PasswordVerifier base64 of padHex(g^x).
    The clients draw 16 unsigned bytes, so their salt is never negative; a
    negative ``salt`` stands for a client that sends its raw bytes with the top
    bit set, which Cognito reads back as a negative number.
    """
    x = private_x(salt, device_group_key, device_key, device_password)
    return {
        "PasswordVerifier": base64.b64encode(pad_bytes(verifier(x))).decode(),
        "Salt": base64.b64encode(pad_bytes(salt)).decode(),
    }


def read_verifier_config(config: dict[str, str]) -> tuple[int, int]:
    """(salt, verifier) from a DeviceSecretVerifierConfig, its bytes read as Java's BigInteger(byte[]) does.

    Java reads big-endian two's complement, so a Salt whose first byte has the
    top bit set is a negative number, later printed with a "-".
    """
    salt = int.from_bytes(base64.b64decode(config["Salt"], validate=True), "big", signed=True)
    v = int.from_bytes(
        base64.b64decode(config["PasswordVerifier"], validate=True), "big", signed=True
    )
    return salt, v
