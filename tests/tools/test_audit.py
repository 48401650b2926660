"""`srpkit audit`: transcripts recomputed step by step, client mistakes named by reproducing them."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from paths import REPO
from pycognito import aws_srp

from srpkit.__main__ import main
from srpkit._cli import CommandIO
from srpkit._core.group import N
from srpkit._tools.audit import audit_transcript

POOL = "eu-west-1_Ab3dEfGh1"
USER_ID = "7d2f-user"
ALIAS = "ann@example.com"
PASSWORD = "Corr3ct horse!"
BLOCK = base64.b64encode(bytes(range(200, 256)) + b"\xff\xfe block").decode()
SALT = "8f" + "11" * 15  # top bit set: padded and unpadded hex differ
SRP_B = format(pow(2, 12345, N) + 7 * N // 11 % N, "x")
STAMP = "Thu Sep 5 07:08:09 UTC 2024"
ROOT = REPO
JSREF = ROOT / "vectors" / "tools" / "jsref.mjs"
NODE_MODULES = ROOT / "vectors" / "tools" / "node_modules"


# ---------------------------------------------------------------- an independent client, with mistakes


def pad(value: int) -> str:
    """padHex for a non-negative value, spelled out as the JS clients do it."""
    text = format(value, "x")
    text = "0" + text if len(text) % 2 else text
    return "00" + text if text[0] in "89abcdef" else text


def unpadded(value: int) -> str:
    """Hex without padHex's sign byte (even length)."""
    text = format(value, "x")
    return "0" + text if len(text) % 2 else text


def sha_hex(hex_text: str) -> int:
    """SHA-256 of the bytes a hex string spells, as an integer."""
    return int(hashlib.sha256(bytes.fromhex(hex_text)).hexdigest(), 16)


def hkdf16(ikm: bytes, salt: bytes) -> bytes:
    """HKDF-SHA256 with Cognito's info string, 16 bytes, written out."""
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    return hmac.new(prk, b"Caldera Derived Key\x01", hashlib.sha256).digest()[:16]


def client_transcript(
    a: int,
    mistake: str = "",
    *,
    timestamp: str = STAMP,
    sent_timestamp: str | None = None,
    realm: str = "Ab3dEfGh1",
    user_id: str = USER_ID,
    password: str = PASSWORD,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(transcript, intermediates) of a client that makes ``mistake`` (written independently here)."""
    big_a = pow(2, a, N)
    big_b = int(SRP_B, 16)
    hexer = unpadded if mistake == "u_unpadded" else pad
    u = sha_hex(hexer(big_a) + hexer(big_b))
    x_realm = POOL if mistake == "pool_id" else realm
    x_user = ALIAS if mistake == "alias" else user_id
    inner = hashlib.sha256(f"{x_realm}{x_user}:{password}".encode()).hexdigest()
    salt_hex = unpadded(int(SALT, 16)) if mistake == "salt_unpadded" else pad(int(SALT, 16))
    x = sha_hex(salt_hex + inner)
    if mistake == "salt_as_ascii_hex":  # the SALT's hex text hashed as ASCII, not its bytes
        x = int(hashlib.sha256(SALT.encode() + bytes.fromhex(inner)).hexdigest(), 16)
    k = 3 if mistake == "k_3" else sha_hex("00" + format(N, "x") + "02")
    premaster = pow(big_b - k * pow(2, x, N), a + u * x, N)
    s_hex = unpadded(premaster) if mistake == "hkdf_s_unpadded" else pad(premaster)
    key = hkdf16(bytes.fromhex(s_hex), bytes.fromhex(pad(u)))
    block = BLOCK.encode() if mistake == "secret_block_as_text" else base64.b64decode(BLOCK)
    sig_realm = POOL if mistake == "pool_id" else realm
    sig_user = ALIAS if mistake == "alias" else user_id
    message = sig_realm.encode() + sig_user.encode() + block + timestamp.encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    signature = digest.hex() if mistake == "signature_hex" else base64.b64encode(digest).decode()
    transcript = {
        "pool_id": POOL,
        "auth_parameters": {"USERNAME": ALIAS, "SRP_A": format(big_a, "x")},
        "challenge_parameters": {
            "SALT": SALT,
            "SRP_B": SRP_B,
            "SECRET_BLOCK": BLOCK,
            "USERNAME": USER_ID,
            "USER_ID_FOR_SRP": USER_ID,
        },
        "challenge_responses": {
            "USERNAME": USER_ID,
            "PASSWORD_CLAIM_SECRET_BLOCK": BLOCK,
            "TIMESTAMP": sent_timestamp or timestamp,
            "PASSWORD_CLAIM_SIGNATURE": signature,
        },
        "password": password,
        "a": format(a, "x"),
    }
    return transcript, {
        "u": format(u, "x"),
        "x": format(x, "x"),
        "S": format(premaster, "x"),
        "key": key.hex(),
    }


def a_where(mistake: str) -> int:
    """A deterministic a for which ``mistake`` changes the signature (padding bugs need a set top bit)."""
    for i in range(64):
        a = (1 << 1000) + 977 * i
        if client_transcript(a, mistake)[0] != client_transcript(a)[0]:
            return a
    raise AssertionError(f"no a makes {mistake} matter")


# ---------------------------------------------------------------- library


@pytest.mark.usefixtures("srp_backend")
def test_consistent_transcript() -> None:
    """A correct client's transcript, with its intermediates logged, is consistent at every step."""
    transcript, intermediates = client_transcript((1 << 1000) + 5)
    transcript["intermediates"] = intermediates
    report = audit_transcript(transcript)
    assert report.consistent and report.complete
    statuses = {s.name: s.status for s in report.steps}
    assert statuses["PASSWORD_CLAIM_SIGNATURE"] == statuses["S"] == statuses["u"] == "match"


@pytest.mark.usefixtures("srp_backend")
def test_pycognito_transcript_consistent() -> None:
    """pycognito's independent answer (its own a, timestamp, everything) audits as consistent."""
    client = aws_srp.AWSSRP(USER_ID, PASSWORD, POOL, "client", client=object())
    challenge = {
        "SALT": SALT,
        "SRP_B": SRP_B,
        "SECRET_BLOCK": BLOCK,
        "USER_ID_FOR_SRP": USER_ID,
        "USERNAME": USER_ID,
    }
    responses = client.process_challenge(challenge, {"USERNAME": USER_ID})
    report = audit_transcript(
        {
            "pool_id": POOL,
            "auth_parameters": client.get_auth_params(),
            "challenge_parameters": challenge,
            "challenge_responses": responses,
            "password": PASSWORD,
            "a": format(client.small_a_value, "x"),
        }
    )
    assert report.consistent and report.complete, report.to_json()


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(
    "mistake",
    [
        "u_unpadded",
        "salt_unpadded",
        "salt_as_ascii_hex",
        "k_3",
        "alias",
        "pool_id",
        "hkdf_s_unpadded",
        "secret_block_as_text",
        "signature_hex",
    ],
)
def test_mistake_named_by_reproducing_it(mistake: str) -> None:
    """A client making a known mistake: the signature diverges and that mistake is named first."""
    transcript, _ = client_transcript(a_where(mistake), mistake)
    report = audit_transcript(transcript)
    assert report.first_divergence == "PASSWORD_CLAIM_SIGNATURE"
    assert report.causes[0].mistake == mistake, report.to_json()["causes"]


@pytest.mark.usefixtures("srp_backend")
def test_logged_intermediate_is_first_divergence() -> None:
    """With u logged, a u computed from unpadded hex is the first divergence, and explained."""
    a = a_where("u_unpadded")
    transcript, intermediates = client_transcript(a, "u_unpadded")
    transcript["intermediates"] = {"u": intermediates["u"]}
    report = audit_transcript(transcript)
    assert report.first_divergence == "u"
    cause = report.causes[0]
    assert (cause.step, cause.mistake) == ("u", "u_unpadded")
    assert "PASSWORD_CLAIM_SIGNATURE" in cause.reproduces


@pytest.mark.usefixtures("srp_backend")
def test_signed_zero_padded_day_but_sent_cognitos() -> None:
    """Signing 'Sep 05' while sending 'Sep 5' is found by recomputing with the padded day."""
    transcript, _ = client_transcript(
        (1 << 1000) + 5, timestamp="Thu Sep 05 07:08:09 UTC 2024", sent_timestamp=STAMP
    )
    report = audit_transcript(transcript)
    assert report.first_divergence == "PASSWORD_CLAIM_SIGNATURE"
    assert report.causes[0].mistake == "timestamp_zero_padded_day"


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(
    ("timestamp", "problem"),
    [("Thu Sep 05 07:08:09 UTC 2024", "zero-padded"), ("Fri Sep 5 07:08:09 UTC 2024", "weekday")],
)
def test_bad_timestamp_is_first_divergence(timestamp: str, problem: str) -> None:
    """A consistently signed but ill-formed TIMESTAMP is the divergence, with its problem named."""
    transcript, _ = client_transcript((1 << 1000) + 5, timestamp=timestamp)
    report = audit_transcript(transcript)
    assert report.first_divergence == "TIMESTAMP"
    assert problem in report.causes[0].description
    assert {s.name: s.status for s in report.steps}["PASSWORD_CLAIM_SIGNATURE"] == "match"


def test_without_a_incomplete_unless_key_logged() -> None:
    """Without a the signature cannot be recomputed, unless the client logged its key."""
    transcript, intermediates = client_transcript((1 << 1000) + 5)
    del transcript["a"]
    report = audit_transcript(transcript)
    assert report.consistent and not report.complete
    transcript["intermediates"] = {"key": intermediates["key"]}
    report = audit_transcript(transcript)
    assert report.consistent and report.complete
    transcript["challenge_responses"]["PASSWORD_CLAIM_SIGNATURE"] = client_transcript(
        (1 << 1000) + 5, "secret_block_as_text"
    )[0]["challenge_responses"]["PASSWORD_CLAIM_SIGNATURE"]
    report = audit_transcript(transcript)
    assert report.causes[0].mistake == "secret_block_as_text"


@pytest.mark.usefixtures("srp_backend")
def test_device_transcript() -> None:
    """A device transcript is recomputed with the group key and device key; swapping them is named."""
    base, _ = client_transcript(
        (1 << 1000) + 5,
        realm="-Gk3yAbCd",
        user_id="eu-west-1_8c5b9d3e-1f2a-4b6c-9d7e-0a1b2c3d4e5f",
        password="ZGV2aWNlIHBhc3N3b3Jk",
    )
    device = {
        **base,
        "flow": "device",
        "device_group_key": "-Gk3yAbCd",
        "device_key": "eu-west-1_8c5b9d3e-1f2a-4b6c-9d7e-0a1b2c3d4e5f",
    }
    del device["pool_id"]
    assert audit_transcript(device).consistent
    swapped, _ = client_transcript(
        (1 << 1000) + 5,
        realm=device["device_key"],
        user_id="-Gk3yAbCd",
        password="ZGV2aWNlIHBhc3N3b3Jk",
    )
    device["challenge_responses"] = swapped["challenge_responses"]
    report = audit_transcript(device)
    assert report.causes[0].mistake == "device_keys_swapped"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda t: t.pop("pool_id"), "pool_id"),
        (lambda t: t["challenge_parameters"].pop("SRP_B"), "challenge_parameters.SRP_B"),
        (lambda t: t["challenge_parameters"].update(SALT="xyz"), "challenge_parameters.SALT"),
        (lambda t: t.update(intermediates={"q": "1"}), "intermediates"),
        (lambda t: t.update(flow="admin"), "flow"),
    ],
)
def test_unusable_transcript_names_field(change: Any, field: str) -> None:
    """A transcript that cannot be audited raises a typed error naming the field."""
    transcript, _ = client_transcript((1 << 1000) + 5)
    change(transcript)
    with pytest.raises(ValueError) as info:
        audit_transcript(transcript)
    assert field in info.value.fields  # type: ignore[attr-defined]


# ---------------------------------------------------------------- command line


def run_cli(
    args: list[str], env: dict[str, str] | None = None, stdin: str = ""
) -> tuple[int, str, str]:
    """Run `srpkit ...` in-process; (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = main(args, CommandIO(io.StringIO(stdin), out, err, env or {}))
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def transcript_file(tmp_path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """A consistent transcript without secrets on disk, and the secrets kept aside."""
    transcript, intermediates = client_transcript((1 << 1000) + 5)
    secrets = {"password": transcript.pop("password"), "a": transcript.pop("a"), **intermediates}
    path = tmp_path / "t.json"
    path.write_text(json.dumps(transcript))
    yield path, secrets


@pytest.mark.usefixtures("srp_backend")
def test_cli_secrets_from_environment_and_stdin(
    transcript_file: tuple[Path, dict[str, Any]],
) -> None:
    """Secrets come from $SRPKIT_PASSWORD / $SRPKIT_SMALL_A or stdin, never from argv."""
    path, secrets = transcript_file
    env = {"SRPKIT_PASSWORD": secrets["password"], "SRPKIT_SMALL_A": secrets["a"]}
    status, env_out, _ = run_cli(["audit", str(path)], env)
    assert status == 0 and "consistent" in env_out
    status, stdin_out, _ = run_cli(
        ["audit", str(path), "--password-stdin"],
        {"SRPKIT_SMALL_A": secrets["a"]},
        stdin=secrets["password"] + "\n",
    )
    assert status == 0
    status, _, _ = run_cli(["audit", str(path), "--password", "x"])
    assert status == 2  # there is no option that takes a secret
    for text in (env_out, stdin_out):
        for secret in (
            secrets["password"],
            secrets["a"],
            secrets["x"],
            secrets["S"],
            secrets["key"],
        ):
            assert secret not in text


@pytest.mark.usefixtures("srp_backend")
def test_cli_exit_statuses_and_json(
    transcript_file: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    """Exit 0 consistent, 1 divergent, 2 unusable, 3 incomplete; --json carries the same verdict."""
    path, secrets = transcript_file
    status, _, _ = run_cli(["audit", str(path)], {"SRPKIT_PASSWORD": secrets["password"]})
    assert status == 3
    bad, _ = client_transcript(a_where("alias"), "alias")
    bad_path = tmp_path / "bad.json"
    bad_path.write_text(json.dumps(bad))
    status, out, _ = run_cli(["audit", str(bad_path), "--json"])
    assert status == 1
    report = json.loads(out)
    assert report["consistent"] is False
    assert report["first_divergence"] == "PASSWORD_CLAIM_SIGNATURE"
    assert report["causes"][0]["mistake"] == "alias"
    assert PASSWORD not in out
    status, out, _ = run_cli(["audit", str(bad_path)])
    assert status == 1 and "alias" in out and "first divergence" in out
    (tmp_path / "junk.json").write_text("{not json")
    status, _, err = run_cli(["audit", str(tmp_path / "junk.json")])
    assert status == 2 and "not JSON" in err
    status, _, err = run_cli(["audit", str(tmp_path / "missing.json")])
    assert status == 2
    status, _, err = run_cli(["audit", "-"], stdin=json.dumps({"pool_id": POOL}))
    assert status == 2 and "SRP_A" in err


# ---------------------------------------------------------------- the official JS clients


def require_jsref() -> str:
    """node and the JS clients; skip without them, but fail in CI."""
    node = shutil.which("node")
    if node and JSREF.is_file() and NODE_MODULES.is_dir():
        return node
    if os.environ.get("CI") == "true":
        pytest.fail("node or vectors/tools (jsref.mjs, node_modules) missing; CI must run these")
    pytest.skip("node or vectors/tools (jsref.mjs, node_modules) missing")


@functools.cache
def jsref(requests_json: str) -> list[dict[str, Any]]:
    """Run jsref on the requests; cached, since the JS side is the same under both backends."""
    node = require_jsref()
    lines = "\n".join(json.dumps(r) for r in json.loads(requests_json)) + "\n"
    proc = subprocess.run(
        [node, str(JSREF)], input=lines, capture_output=True, text=True, timeout=120, check=True
    )
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.node
@pytest.mark.parametrize("impl", ["identity-js", "amplify"])
def test_official_client_transcripts_are_consistent(impl: str) -> None:
    """Transcripts of the official JS clients, with their own u, x, S and key, audit as consistent."""
    a = (1 << 1000) + 5
    requests = [
        {
            "id": 1,
            "op": "password_verifier",
            "impl": impl,
            "poolId": POOL,
            "userIdForSrp": USER_ID,
            "username": ALIAS,
            "password": PASSWORD,
            "a": format(a, "x"),
            "salt": "-16e462a84f2df159",
            "srpB": SRP_B,
            "secretBlock": BLOCK,
            "instant": "2024-09-05T07:08:09Z",
        },
        {
            "id": 2,
            "op": "device_password_verifier",
            "impl": impl,
            "deviceGroupKey": "-Gk3yAbCd",
            "deviceKey": "eu-west-1_8c5b9d3e-1f2a-4b6c-9d7e-0a1b2c3d4e5f",
            "devicePassword": "ZGV2",
            "a": format(a, "x"),
            "salt": SALT,
            "srpB": SRP_B,
            "secretBlock": BLOCK,
            "instant": "2024-03-05T01:02:03Z",
            "username": USER_ID,
        },
    ]
    results = jsref(json.dumps(requests))
    assert [r.get("error") for r in results] == [None, None]
    for request, result in zip(requests, results, strict=True):
        transcript: dict[str, Any] = {
            "auth_parameters": {
                "USERNAME": request.get("username", USER_ID),
                "SRP_A": result["srpA"],
            },
            "challenge_parameters": {
                "SALT": request["salt"],
                "SRP_B": SRP_B,
                "SECRET_BLOCK": BLOCK,
                "USER_ID_FOR_SRP": USER_ID,
            },
            "challenge_responses": {
                "USERNAME": result["username"],
                "PASSWORD_CLAIM_SECRET_BLOCK": BLOCK,
                "TIMESTAMP": result["timestamp"],
                "PASSWORD_CLAIM_SIGNATURE": result["signature"],
            },
            "a": request["a"],
            "intermediates": {name: result[name] for name in ("u", "x", "S", "key")},
        }
        if request["op"] == "password_verifier":
            transcript.update(pool_id=POOL, password=PASSWORD)
        else:
            transcript.update(
                flow="device",
                device_group_key=request["deviceGroupKey"],
                device_key=request["deviceKey"],
                password=request["devicePassword"],
            )
        report = audit_transcript(transcript)
        assert report.consistent and report.complete, report.to_json()
        assert {s.name: s.status for s in report.steps}["S"] == "match"
