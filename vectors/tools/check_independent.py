#!/usr/bin/env python3
"""Re-verify the Cognito SRP vectors (vectors/*.json) with a second, independent implementation.

    python3 vectors/tools/check_independent.py [FILE ...]

Written from the protocol description, not from srpkit or the JavaScript
clients, using only hashlib, hmac, base64 and Python integers (it deliberately
imports nothing from srpkit). For every test it:

- valid: parses the inputs strictly (hex with an optional '-' for SALT only,
  canonical padded base64), recomputes every output and requires equality;
- acceptable: decodes tolerantly where the official clients agree (URL-safe or
  unpadded base64), recomputes every output and requires equality;
- invalid: requires that the strict rules reject the input (a device step whose
  A is the user step's userSrpA included: it reused the user step's a);
- recomputes the padding-class flags (e.g. SLeadingZeroByte) from the values and
  requires them to be exactly the ones the test carries, and checks that the
  other flags describe the input (a NegativeSalt test has a '-', ...);
- when a test publishes the server ephemeral b, checks B = k*v + g^b (mod N)
  and that the server's S = (A * v^u)^b mod N equals the client's S;
- checks the file structure: numberOfTests, unique tcIds, notes for every flag.

Exits 0 when every test checks out, 1 otherwise.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# RFC 3526, section 4: the 3072-bit MODP group; Cognito uses it with g = 2.
N = int(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05"
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB"
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718"
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33"
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864"
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2"
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    16,
)
G = 2
NOMINAL_BYTES = {"A": 384, "B": 384, "S": 384, "U": 32, "X": 32, "Salt": 16, "Verifier": 384}
CLASS_FLAG = re.compile(r"(A|B|S|U|X|Salt|Verifier)(HighBit|OddLengthHex|LeadingZeroByte)\Z")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # 1970-01-01 was a Thursday
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class RejectError(Exception):
    """The input is not one a strict client may answer."""


def pad(value: int) -> str:
    """Minimal even-length big-endian two's complement hex (Cognito's padHex)."""
    nbytes = 1
    # smallest width whose signed range holds the value
    while not -(256**nbytes) // 2 <= value < 256**nbytes // 2:
        nbytes += 1
    return format(value % 256**nbytes, f"0{2 * nbytes}x")


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def hash_of_hex(hex_text: str) -> int:
    return int.from_bytes(sha(bytes.fromhex(hex_text)), "big")


K = hash_of_hex(pad(N) + pad(G))


def strict_hex(text: str, field: str, negative_ok: bool) -> int:
    if not re.fullmatch(r"-?[0-9a-fA-F]+", text):
        raise RejectError(f"{field} is not a hex number")
    if text.startswith("-") and not negative_ok:
        raise RejectError(f"{field} is negative")
    return int(text, 16)


def strict_b64(text: str) -> bytes:
    if not re.fullmatch(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?", text):
        raise RejectError("secretBlock is not canonical base64")
    return base64.b64decode(text)


def tolerant_b64(text: str) -> bytes:
    """What both official clients agree a non-canonical block means: URL-safe letters, padding optional."""
    core = text.rstrip("=").replace("-", "+").replace("_", "/")
    if len(core) % 4 == 1:
        raise RejectError("secretBlock is not base64")
    return strict_b64(core + "=" * (-len(core) % 4))


def hkdf16(salt: bytes, ikm: bytes) -> bytes:
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    return hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]


def classes(name: str, value: int) -> list[str]:
    if value < 0:
        return []
    digits = format(value, "x")
    found = []
    if len(digits) % 2:
        found.append(name + "OddLengthHex")
    elif digits[0] in "89abcdef":
        found.append(name + "HighBit")
    if value < 256 ** (NOMINAL_BYTES[name] - 1):
        found.append(name + "LeadingZeroByte")
    return found


def days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm)."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def days_in_month(y: int, m: int) -> int:
    if m == 2:
        return 29 if (y % 4 == 0 and y % 100 != 0) or y % 400 == 0 else 28
    return 30 if m in (4, 6, 9, 11) else 31


def timestamp_for(instant: str) -> str:
    match = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d{1,9})?Z", instant)
    if not match:
        raise ValueError(f"instant {instant!r} is not ISO 8601 UTC")
    y, mo, d, h, mi, s = (int(g) for g in match.groups())
    if not (1 <= mo <= 12 and 1 <= d <= days_in_month(y, mo) and h < 24 and mi < 60 and s < 60):
        raise ValueError(f"instant {instant!r} is not a real instant")
    weekday = WEEKDAYS[(days_from_civil(y, mo, d) + 3) % 7]
    return f"{weekday} {MONTHS[mo - 1]} {d} {h:02d}:{mi:02d}:{s:02d} UTC {y}"


def check_timestamp_text(text: str) -> None:
    """A signed TIMESTAMP must be one a client can produce: canonical format, right weekday."""
    match = re.fullmatch(r"(\w{3}) (\w{3}) (\d{1,2}) (\d\d):(\d\d):(\d\d) UTC (\d+)", text)
    if not match or match.group(2) not in MONTHS or match.group(3).startswith("0"):
        raise ValueError(f"timestamp {text!r} is not canonical")
    year, month, day = int(match.group(7)), MONTHS.index(match.group(2)) + 1, int(match.group(3))
    clock = f"{match.group(4)}:{match.group(5)}:{match.group(6)}"
    instant = f"{year:04d}-{month:02d}-{day:02d}T{clock}Z"
    if timestamp_for(instant) != text:
        raise ValueError(f"timestamp {text!r} has the wrong weekday")


def srp(
    test: dict[str, Any], realm: str, user_id: str, password: str, tolerant: bool
) -> dict[str, Any]:
    if password == "":
        raise RejectError("empty password")
    salt = strict_hex(test["salt"], "salt", negative_ok=True)
    big_b = strict_hex(test["srpB"], "srpB", negative_ok=False)
    if big_b % N == 0:
        raise RejectError("B = 0 mod N")
    block = tolerant_b64(test["secretBlock"]) if tolerant else strict_b64(test["secretBlock"])
    a = int(test["a"], 16)
    big_a = pow(G, a, N)
    u = hash_of_hex(pad(big_a) + pad(big_b))
    if u == 0:
        raise RejectError("u = 0")
    inner = sha(f"{realm}{user_id}:{password}".encode()).hex()
    x = hash_of_hex(pad(salt) + inner)
    v = pow(G, x, N)
    premaster = pow(big_b - K * v, a + u * x, N)
    key = hkdf16(bytes.fromhex(pad(u)), bytes.fromhex(pad(premaster)))
    check_timestamp_text(test["timestamp"])
    message = realm.encode() + user_id.encode() + block + test["timestamp"].encode()
    signature = base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
    if "b" in test:
        b = int(test["b"], 16)
        if (big_b - K * v) % N != pow(G, b, N):
            raise ValueError("srpB is not k*v + g^b mod N for the published b")
        if pow(big_a * pow(v, u, N), b, N) != premaster:
            raise ValueError("the server's S differs from the client's")
    return {
        "srpA": format(big_a, "x"),
        "u": pad(u),
        "x": pad(x),
        "S": pad(premaster),
        "key": key.hex(),
        "signature": signature,
        "_classes": classes("A", big_a)
        + [c for c in classes("B", big_b) if big_b < N or not c.endswith("LeadingZeroByte")]
        + classes("S", premaster)
        + classes("U", u)
        + classes("X", x)
        + classes("Salt", salt),
    }


def password_verifier(test: dict[str, Any], tolerant: bool) -> dict[str, Any]:
    realm = test["poolId"].split("_", 1)[1]
    return srp(test, realm, test["username"], test["password"], tolerant)


def device_password_verifier(test: dict[str, Any], tolerant: bool) -> dict[str, Any]:
    if "userSrpA" in test:
        # The session rule: the device step is an SRP run of its own and draws its own a,
        # so its A may not be the one the user step of the same sign-in sent.
        user_a = strict_hex(test["userSrpA"], "userSrpA", negative_ok=False)
        if user_a % N == pow(G, int(test["a"], 16), N):
            raise RejectError("the device step reuses the user step's a (its A is userSrpA)")
    return srp(test, test["deviceGroupKey"], test["deviceKey"], test["devicePassword"], tolerant)


def device_verifier_config(test: dict[str, Any], tolerant: bool) -> dict[str, Any]:
    if not re.fullmatch(r"[0-9a-f]{32}", test["salt"]):
        raise RejectError("salt is not 16 bytes of hex")
    salt = int(test["salt"], 16)
    inner = sha(
        f"{test['deviceGroupKey']}{test['deviceKey']}:{test['devicePassword']}".encode()
    ).hex()
    v = pow(G, hash_of_hex(pad(salt) + inner), N)
    return {
        "passwordVerifier": base64.b64encode(bytes.fromhex(pad(v))).decode(),
        "verifierSalt": base64.b64encode(bytes.fromhex(pad(salt))).decode(),
        "_classes": classes("Salt", salt) + classes("Verifier", v),
    }


def secret_hash(test: dict[str, Any], tolerant: bool) -> dict[str, Any]:
    message = (test["username"] + test["clientId"]).encode()
    digest = hmac.new(test["clientSecret"].encode(), message, hashlib.sha256).digest()
    return {"secretHash": base64.b64encode(digest).decode(), "_classes": []}


def timestamp(test: dict[str, Any], tolerant: bool) -> dict[str, Any]:
    return {"timestamp": timestamp_for(test["instant"]), "_classes": []}


CHECKS: dict[str, Callable[[dict[str, Any], bool], dict[str, Any]]] = {
    "PasswordVerifierTest": password_verifier,
    "DevicePasswordVerifierTest": device_password_verifier,
    "DeviceVerifierConfigTest": device_verifier_config,
    "SecretHashTest": secret_hash,
    "TimestampTest": timestamp,
}


def flag_problems(test: dict[str, Any], flags: list[str]) -> list[str]:
    """Flags that say something checkable about the input must be true of it."""
    facts: dict[str, Callable[[dict[str, Any]], bool]] = {
        "NegativeSalt": lambda t: t["salt"].startswith("-"),
        "SaltUpperCase": lambda t: re.search("[A-F]", t["salt"]) is not None,
        "SaltLeadingZeros": lambda t: t["salt"].lstrip("-").startswith("0"),
        "SrpBUpperCase": lambda t: re.search("[A-F]", t["srpB"]) is not None,
        "SrpBLeadingZeros": lambda t: t["srpB"].startswith("0"),
        "BGreaterThanN": lambda t: int(t["srpB"], 16) >= N,
        "BZeroModN": lambda t: int(t["srpB"] or "0", 16) % N == 0,
        "NegativeSrpB": lambda t: t["srpB"].startswith("-"),
        "EmptySecretBlock": lambda t: t["secretBlock"] == "",
        "EmptyPassword": lambda t: t["password"] == "",
        "EmptyDevicePassword": lambda t: t["devicePassword"] == "",
        "AliasLogin": lambda t: t.get("signInName", t["username"]) != t["username"],
        "ZeroSalt": lambda t: int(t["salt"], 16) == 0,
        "ReusedPrivateEphemeral": lambda t: "userSrpA" in t,
    }
    return [
        f"flag {f} does not describe the input" for f in flags if f in facts and not facts[f](test)
    ]


def check_test(group_type: str, test: dict[str, Any], where: str) -> list[str]:
    """The problems of one test (an empty list when it checks out)."""
    flags = test["flags"]
    problems = [f"{where}: {p}" for p in flag_problems(test, flags)]
    result = test["result"]
    try:
        got: dict[str, Any] | None = CHECKS[group_type](test, result == "acceptable")
    except RejectError as exc:
        if result == "valid":
            problems.append(f"{where}: valid test rejected ({exc})")
        return problems
    except (ValueError, KeyError, IndexError, binascii.Error) as exc:
        return [*problems, f"{where}: {type(exc).__name__}: {exc}"]
    if result == "invalid":
        return [*problems, f"{where}: invalid test accepted by the strict rules"]
    assert got is not None
    problems += [
        f"{where}: {field} differs"
        for field, value in got.items()
        if not field.startswith("_") and test.get(field) != value
    ]
    if sorted(got["_classes"]) != sorted(f for f in flags if CLASS_FLAG.match(f)):
        problems.append(f"{where}: padding-class flags {sorted(got['_classes'])} expected")
    signed = got["timestamp"] if group_type == "TimestampTest" else test.get("timestamp")
    if signed is not None and (int(signed.split()[2]) < 10) != ("SingleDigitDay" in flags):
        problems.append(f"{where}: SingleDigitDay flag wrong")
    return problems


def check_file(path: Path) -> list[str]:
    """The problems of one file: its structure and every test."""
    problems: list[str] = []
    doc = json.loads(path.read_text(encoding="utf-8"))
    notes = doc["notes"]
    seen: set[int] = set()
    used: set[str] = set()
    count = 0
    for group in doc["testGroups"]:
        for test in group["tests"]:
            count += 1
            where = f"{path.name} tcId {test['tcId']}"
            if test["tcId"] in seen:
                problems.append(f"{where}: duplicate tcId")
            seen.add(test["tcId"])
            used.update(test["flags"])
            problems += [f"{where}: flag {f} has no note" for f in test["flags"] if f not in notes]
            problems += check_test(group["type"], test, where)
    if doc["numberOfTests"] != count:
        problems.append(
            f"{path.name}: numberOfTests is {doc['numberOfTests']}, the file has {count}"
        )
    problems += [f"{path.name}: note {f} is not used by any test" for f in notes if f not in used]
    return problems


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    paths = [Path(p) for p in argv] or sorted(here.parent.glob("*_test.json"))
    if not paths:
        print("check_independent: no vector files found", file=sys.stderr)
        return 1
    start = time.monotonic()
    failed = 0
    total = 0
    for path in paths:
        try:
            problems = check_file(path)
            tests = json.loads(path.read_text(encoding="utf-8"))["numberOfTests"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            print(f"{path}: cannot check: {type(exc).__name__}: {exc}")
            failed += 1
            continue
        total += tests
        for problem in problems:
            print(problem)
        failed += len(problems)
        print(
            f"{path.name}: {tests} tests, {'all verified' if not problems else f'{len(problems)} problems'}"
        )
    print(
        f"{total} tests in {len(paths)} files, {failed} problems ({time.monotonic() - start:.1f} s)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
