"""Generate tests/data/device_kats.json from the official JavaScript clients.

Run from the repository root (needs node 20 and vectors/tools/node_modules):

    python tests/data/generate_device_kats.py

Inputs are chosen here, deterministically (random.Random(SEED)), by searching
for values whose padHex falls in each padding class (top bit set -> a 00 byte is
prepended; leading zero byte -> shorter than the full width; odd hex length -> a
single 0 is prepended; plain). The expected outputs come only from
vectors/tools/jsref.mjs, which drives amazon-cognito-identity-js and
@aws-amplify/auth through their real device code paths (ConfirmDevice after a
sign-in carrying NewDeviceMetadata; DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER)
with their random draws and clock fixed. This script uses only the standard
library (never srpkit), so the data is independent of the code it tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

SEED = 20240229
ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "vectors" / "tools" / "jsref.mjs"
OUT = Path(__file__).resolve().parent / "device_kats.json"
IMPLS = ("identity-js", "amplify")

# The SRP math is the tests' one independent reference (standard library only, no srpkit).
sys.path.insert(0, str(ROOT / "tests"))
from reference import cognito_srp as ref  # noqa: E402 - after the path it lives on

N, G, K = ref.N, ref.G, ref.K
N_BYTES = 384
pad = ref.pad_hex


def h_hex(hex_text: str) -> int:
    return ref.hash_int(bytes.fromhex(hex_text))


def pad_class(value: int, width: int) -> str:
    """Which padHex class ``value`` falls in, for a number drawn as ``width`` bytes."""
    if value < 1 << (8 * (width - 1)):
        return "leading-zero-byte"
    if len(format(value, "x")) % 2:
        return "odd-hex"
    if value >> (8 * width - 1):
        return "high-bit"
    return "plain"


def device_x(salt: int, group_key: str, device_key: str, password: str) -> int:
    return ref.private_x(salt, group_key, device_key, password)


class Oracle:
    """One long-lived jsref.mjs process, one JSON line each way."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            ["node", str(HARNESS)],
            cwd=HARNESS.parent,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.next_id = 0

    def ask(self, **request: Any) -> dict[str, Any]:
        self.next_id += 1
        request["id"] = self.next_id
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        answer: dict[str, Any] = json.loads(self.proc.stdout.readline())
        assert answer.pop("id") == self.next_id
        return answer

    def close(self) -> None:
        assert self.proc.stdin
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


SALT_FIRST_BYTES = {
    "high-bit": (0x80, 0xFF),
    "leading-zero-byte": (0x00, 0x00),
    "odd-hex": (0x01, 0x0F),
    "plain": (0x10, 0x7F),
}


def salt_of_class(rng: random.Random, cls: str) -> bytes:
    """16 salt bytes; 'zero-then-high-bit' is a 00 byte whose padHex keeps it (00 9x ...)."""
    rest = bytearray(rng.randbytes(16))
    if cls == "zero-then-high-bit":
        rest[0], rest[1] = 0, rng.randint(0x80, 0xFF)
    else:
        lo, hi = SALT_FIRST_BYTES[cls]
        rest[0] = rng.randint(lo, hi)
        if cls == "leading-zero-byte":
            rest[1] = rng.randint(0x10, 0x7F)
    return bytes(rest)


def verifier_configs(oracle: Oracle, rng: random.Random) -> list[dict[str, Any]]:
    cases = []
    salt_classes = ("high-bit", "leading-zero-byte", "zero-then-high-bit", "odd-hex", "plain")
    verifier_classes = ("high-bit", "leading-zero-byte", "odd-hex", "plain")
    for salt_cls in salt_classes:
        for ver_cls in verifier_classes:
            salt = salt_of_class(rng, salt_cls)
            group_key = "-" + "".join(rng.choice("abcdefghijkLMNOPQ0123456789") for _ in range(9))
            device_key = f"us-east-1_{uuid.UUID(bytes=rng.randbytes(16), version=4)}"
            tries = 0
            while True:
                tries += 1
                password_bytes = rng.randbytes(40)
                password = base64.b64encode(password_bytes).decode()
                x = device_x(int.from_bytes(salt, "big"), group_key, device_key, password)
                v = pow(G, x, N)
                if pad_class(v, N_BYTES) == ver_cls:
                    break
            expected = {}
            for impl in IMPLS:
                answer = oracle.ask(
                    op="device_verifier_config",
                    impl=impl,
                    deviceGroupKey=group_key,
                    deviceKey=device_key,
                    devicePassword=password,
                    saltBytes=salt.hex(),
                )
                if "error" in answer:
                    raise SystemExit(f"{impl} failed: {answer['error']}")
                expected[impl] = answer
            cases.append(
                {
                    "name": f"salt {salt_cls}, verifier {ver_cls}",
                    "classes": {"salt": salt_cls, "verifier": ver_cls},
                    "deviceGroupKey": group_key,
                    "deviceKey": device_key,
                    "passwordBytes": password_bytes.hex(),
                    "saltBytes": salt.hex(),
                    "searchTries": tries,
                    "expected": expected,
                }
            )
    return cases


def _server_b(v: int, b: int) -> int:
    return ref.server_public(v, b)


def device_password_verifiers(
    oracle: Oracle, rng: random.Random, devices: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER cases, each aimed at one padding class."""
    by_salt = {d["classes"]["salt"]: d for d in devices if d["classes"]["verifier"] == "plain"}
    specs: list[dict[str, Any]] = [
        {"name": "plain", "device": "plain"},
        {"name": "A high-bit", "device": "plain", "A": "high-bit"},
        {"name": "A leading-zero-byte", "device": "plain", "A": "leading-zero-byte"},
        {"name": "A odd-hex", "device": "plain", "A": "odd-hex"},
        {"name": "B high-bit", "device": "odd-hex", "B": "high-bit"},
        {"name": "B leading-zero-byte", "device": "odd-hex", "B": "leading-zero-byte"},
        {"name": "B odd-hex", "device": "odd-hex", "B": "odd-hex"},
        {"name": "B >= N (B + N sent)", "device": "plain", "B_plus_N": True},
        {"name": "u leading-zero-byte", "device": "high-bit", "u": "leading-zero-byte"},
        {"name": "u high-bit", "device": "high-bit", "u": "high-bit"},
        {"name": "S leading-zero-byte", "device": "leading-zero-byte", "S": "leading-zero-byte"},
        {"name": "S odd-hex", "device": "leading-zero-byte", "S": "odd-hex"},
        {"name": "SALT padded hex with 00", "device": "high-bit", "salt_form": "padded"},
        {"name": "SALT minimal odd hex", "device": "odd-hex", "salt_form": "minimal"},
        {"name": "SALT leading zeros kept", "device": "leading-zero-byte", "salt_form": "raw"},
        {"name": "SALT 00 then high bit", "device": "zero-then-high-bit", "salt_form": "padded"},
        {"name": "SALT uppercase", "device": "plain", "salt_form": "upper"},
        {"name": "challenge USERNAME differs", "device": "plain", "challengeUsername": "other"},
        {"name": "B = 0", "device": "plain", "B_fixed": "0"},
        {"name": "B = N", "device": "plain", "B_fixed": "N"},
        {"name": "B = 2N", "device": "plain", "B_fixed": "2N"},
    ]
    instants = ("2024-03-05T07:08:09Z", "2025-11-26T23:59:59Z", "2024-02-29T00:00:00Z")
    cases = []
    for number, spec in enumerate(specs):
        device = by_salt[spec["device"]]
        group_key, device_key = device["deviceGroupKey"], device["deviceKey"]
        password = device["expected"]["identity-js"]["devicePassword"]
        salt_bytes = bytes.fromhex(device["saltBytes"])
        salt = int.from_bytes(salt_bytes, "big")
        x = device_x(salt, group_key, device_key, password)
        v = pow(G, x, N)
        tries = 0
        while True:
            tries += 1
            a = int.from_bytes(rng.randbytes(128), "big") or 1
            big_a = pow(G, a, N)
            if "A" in spec and pad_class(big_a, N_BYTES) != spec["A"]:
                continue
            b = int.from_bytes(rng.randbytes(32), "big")
            big_b = _server_b(v, b)
            if "B" in spec and pad_class(big_b, N_BYTES) != spec["B"]:
                continue
            u = h_hex(pad(big_a) + pad(big_b))
            if "u" in spec and pad_class(u, 32) != spec["u"]:
                continue
            if "S" in spec:
                premaster = pow((big_b - K * v) % N, a + u * x, N)
                if pad_class(premaster, N_BYTES) != spec["S"]:
                    continue
            break
        if spec.get("B_plus_N"):
            big_b += N
        srp_b = format(big_b, "x")
        if "B_fixed" in spec:
            srp_b = {"0": "0", "N": format(N, "x"), "2N": format(2 * N, "x")}[spec["B_fixed"]]
        salt_form = spec.get("salt_form", "minimal")
        salt_hex = {
            "minimal": format(salt, "x"),
            "padded": pad(salt),
            "raw": salt_bytes.hex(),
            "upper": format(salt, "X"),
        }[salt_form]
        inputs: dict[str, Any] = {
            "deviceGroupKey": group_key,
            "deviceKey": device_key,
            "devicePassword": password,
            "username": f"user-{uuid.UUID(bytes=rng.randbytes(16), version=4)}",
            "a": format(a, "x"),
            "salt": salt_hex,
            "srpB": srp_b,
            "secretBlock": base64.b64encode(rng.randbytes(rng.randint(1, 400))).decode(),
            "instant": instants[number % len(instants)],
        }
        if "challengeUsername" in spec:
            inputs["challengeUsername"] = "internal-" + inputs["username"]
        expected = {}
        for impl in IMPLS:
            answer = oracle.ask(op="device_password_verifier", impl=impl, **inputs)
            if "error" in answer and "B_fixed" not in spec:
                raise SystemExit(f"{impl} failed on {spec['name']}: {answer['error']}")
            expected[impl] = answer
        cases.append(
            {
                "name": spec["name"],
                "searchTries": tries,
                "inputs": inputs,
                "expected": expected,
            }
        )
    return cases


def _self_check(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Compare the two clients; return every disagreement (the data records them)."""
    disagreements = []
    for case in cases:
        one, two = (case["expected"][impl] for impl in IMPLS)
        for key in sorted(set(one) | set(two)):
            if one.get(key) != two.get(key) and key not in ("devicePasswordVia", "error"):
                disagreements.append(
                    {
                        "case": case["name"],
                        "field": key,
                        **{i: case["expected"][i].get(key) for i in IMPLS},
                    }
                )
    return disagreements


def _check_signatures(cases: list[dict[str, Any]]) -> None:
    """Recompute each signature from the reported key: the oracle's numbers hang together."""
    for case in cases:
        inp = case["inputs"]
        for impl in IMPLS:
            out = case["expected"][impl]
            if "error" in out:
                continue
            message = (
                inp["deviceGroupKey"].encode()
                + inp["deviceKey"].encode()
                + base64.b64decode(inp["secretBlock"])
                + out["timestamp"].encode()
            )
            mac = hmac.new(bytes.fromhex(out["key"]), message, hashlib.sha256).digest()
            assert base64.b64encode(mac).decode() == out["signature"], (case["name"], impl)


def main() -> int:
    rng = random.Random(SEED)
    oracle = Oracle()
    try:
        versions = oracle.ask(op="versions")
        configs = verifier_configs(oracle, rng)
        verifiers = device_password_verifiers(oracle, rng, configs)
    finally:
        oracle.close()
    _check_signatures(verifiers)
    data = {
        "provenance": {
            "generator": "tests/data/generate_device_kats.py",
            "oracle": "vectors/tools/jsref.mjs (ops device_verifier_config, device_password_verifier)",
            "seed": SEED,
            "versions": versions,
            "clientId": "jsrefclientid0123456789abc (the harness default)",
            "note": (
                "expected values are the official clients' outputs, recorded verbatim; "
                "'error' entries are what they threw"
            ),
        },
        "disagreements": _self_check(configs) + _self_check(verifiers),
        "verifier_configs": configs,
        "device_password_verifiers": verifiers,
    }
    OUT.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n")
    print(
        f"wrote {OUT.relative_to(ROOT)}: {len(configs)} verifier configs, "
        f"{len(verifiers)} device password verifiers, "
        f"{len(data['disagreements'])} disagreements",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
