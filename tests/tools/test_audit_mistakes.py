"""`srpkit audit` names the client mistakes peers shipped in 2026 (issue #16), each from a transcript."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
from pathlib import Path
from typing import Any

import pytest
from test_audit import ALIAS, SALT, USER_ID, client_transcript, pad

from srpkit import InvalidInputError
from srpkit.__main__ import main
from srpkit._cli import CommandIO
from srpkit._core.caps import MAX_SMALL_A_BITS
from srpkit._core.group import N
from srpkit._tools.audit import audit_transcript

A = (1 << 1000) + 5
CLIENT_ID = "3n4b5urk1ft4fl3mg5e62d9ado"
CLIENT_SECRET = "s3cr3t-0f-the-app-client-k33p-0ut-of-l0gs"
# The .NET SDK's TestAuthenticateUser a (8186 bits).
DOTNET_A = int.from_bytes(bytes([2]) * 1023 + b"\x00", "big")


def hmac_hash(username: str) -> str:
    """SECRET_HASH written out: base64 HMAC-SHA256(client secret, username + client id)."""
    mac = hmac.new(CLIENT_SECRET.encode(), (username + CLIENT_ID).encode(), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode()


def causes(report: Any) -> list[str]:
    """The mistakes the audit names, in order."""
    return [c.mistake for c in report.causes]


@pytest.mark.usefixtures("srp_backend")
def test_twelve_hour_clock_is_named_against_sent_at() -> None:
    """Go's '03' writes 15:01 as 03:01; signed consistently, only sent_at shows the 12 hours."""
    transcript, _ = client_transcript(A, timestamp="Tue Jul 10 03:01:00 UTC 2018")
    assert audit_transcript(transcript).consistent  # well-formed and consistently signed
    transcript["sent_at"] = "2018-07-10T15:01:00Z"
    report = audit_transcript(transcript)
    assert report.first_divergence == "TIMESTAMP"
    assert causes(report) == ["timestamp_12_hour_clock"]
    row = {s.name: s for s in report.steps}["TIMESTAMP"]
    assert (row.recorded, row.recomputed) == (
        "Tue Jul 10 03:01:00 UTC 2018",
        "Tue Jul 10 15:01:00 UTC 2018",
    )


@pytest.mark.usefixtures("srp_backend")
def test_sent_at_a_few_seconds_off_is_consistent() -> None:
    """A TIMESTAMP a second from the logged sent_at (logging takes time) is no divergence."""
    transcript, _ = client_transcript(A, timestamp="Tue Jul 10 15:01:00 UTC 2018")
    transcript["sent_at"] = "2018-07-10T15:01:01.250Z"
    assert audit_transcript(transcript).consistent


@pytest.mark.usefixtures("srp_backend")
@pytest.mark.parametrize(
    ("timestamp", "mistake"),
    [
        ("Fri Nov 21 24:30:15 UTC 2025", "timestamp_hour_24"),
        ("Thu Sep 5 7:08:09 UTC 2024", "timestamp_hour_unpadded"),
        ("Thu Sep 05 07:08:09 UTC 2024", "timestamp_zero_padded_day"),
    ],
)
def test_hour_and_day_padding_mistakes_are_named(timestamp: str, mistake: str) -> None:
    """A 24:xx hour (Java's 'kk'), an unpadded hour and a zero-padded day each get their own name."""
    transcript, _ = client_transcript(A, timestamp=timestamp)
    report = audit_transcript(transcript)
    assert report.first_divergence == "TIMESTAMP"
    assert causes(report) == [mistake]


@pytest.mark.usefixtures("srp_backend")
def test_secret_hash_over_the_alias_is_named() -> None:
    """USERNAME is USER_ID_FOR_SRP but SECRET_HASH was made over the alias: the alias mistake is named."""
    transcript, _ = client_transcript(A)
    transcript.update(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    transcript["challenge_responses"]["SECRET_HASH"] = hmac_hash(USER_ID)
    assert audit_transcript(transcript).consistent
    transcript["challenge_responses"]["SECRET_HASH"] = hmac_hash(ALIAS)
    report = audit_transcript(transcript)
    assert report.first_divergence == "SECRET_HASH"
    assert causes(report) == ["secret_hash_alias"]
    assert CLIENT_SECRET not in json.dumps(report.to_json())


@pytest.mark.usefixtures("srp_backend")
def test_secret_hash_needs_the_client_secret() -> None:
    """Without the client secret the SECRET_HASH row says what it needs instead of guessing."""
    transcript, _ = client_transcript(A)
    transcript["challenge_responses"]["SECRET_HASH"] = hmac_hash(ALIAS)
    row = {s.name: s for s in audit_transcript(transcript).steps}["SECRET_HASH"]
    assert (row.status, row.note) == ("cannot check", "needs client_id and the client secret")


@pytest.mark.usefixtures("srp_backend")
def test_cli_reads_the_client_secret_from_the_environment(tmp_path: Path) -> None:
    """$SRPKIT_CLIENT_SECRET lets the command check SECRET_HASH; the secret is never printed."""
    transcript, _ = client_transcript(A)
    transcript["client_id"] = CLIENT_ID
    transcript["challenge_responses"]["SECRET_HASH"] = hmac_hash(ALIAS)
    path = tmp_path / "t.json"
    path.write_text(json.dumps(transcript), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    env = {"SRPKIT_CLIENT_SECRET": CLIENT_SECRET}
    status = main(["audit", str(path)], CommandIO(io.StringIO(""), out, err, env))
    assert status == 1
    assert "SECRET_HASH made over the sign-in name (alias)" in out.getvalue()
    assert CLIENT_SECRET not in out.getvalue() + err.getvalue()


@pytest.mark.usefixtures("srp_backend")
def test_device_step_reusing_the_user_steps_a_is_named() -> None:
    """A device SRP_A equal to the user step's means the same a: a divergence, named."""
    device_key = "eu-west-1_8c5b9d3e-1f2a-4b6c-9d7e-0a1b2c3d4e5f"
    base, _ = client_transcript(A, realm="-Gk3yAbCd", user_id=device_key, password="cGFzc3dvcmQ=")
    device = {**base, "flow": "device", "device_group_key": "-Gk3yAbCd", "device_key": device_key}
    del device["pool_id"]
    fresh = client_transcript(A + 1)[0]["auth_parameters"]["SRP_A"]
    assert audit_transcript({**device, "user_srp_a": fresh}).consistent
    report = audit_transcript({**device, "user_srp_a": base["auth_parameters"]["SRP_A"]})
    assert report.first_divergence == "device a"
    assert causes(report) == ["device_reuses_user_a"]


@pytest.mark.usefixtures("srp_backend")
def test_wide_a_audits_unreduced() -> None:
    """An 8186-bit a (the .NET SDK's test value) is used as given, as the official clients use it."""
    transcript, intermediates = client_transcript(DOTNET_A)
    transcript["intermediates"] = intermediates
    report = audit_transcript(transcript)
    assert report.consistent and report.complete


@pytest.mark.parametrize(
    ("a", "match"),
    [("0", "a: must be at least 1"), ("1" + "0" * (MAX_SMALL_A_BITS // 4), "longer than")],
)
def test_unusable_a_is_named(a: str, match: str) -> None:
    """a = 0 and an a past the work cap are typed errors naming a."""
    transcript, _ = client_transcript(A)
    transcript["a"] = a
    with pytest.raises(InvalidInputError, match=match) as info:
        audit_transcript(transcript)
    assert info.value.fields == ("a",)


def device_with_config(salt: bytes, raw_x: bool) -> dict[str, Any]:
    """A device transcript plus the ConfirmDevice config it registered (x over raw salt bytes if ``raw_x``)."""
    group, key, password = "-Gk3yAbCd", "eu-west-1_8c5b9d3e-1f2a-4b6c-9d7e-0a1b2c3d4e5f", "cGFzcw=="
    base, _ = client_transcript(A, realm=group, user_id=key, password=password)
    device = {**base, "flow": "device", "device_group_key": group, "device_key": key}
    del device["pool_id"]
    inner = hashlib.sha256(f"{group}{key}:{password}".encode()).digest()
    hashed = salt if raw_x else bytes.fromhex(pad(int.from_bytes(salt, "big")))
    x = int(hashlib.sha256(hashed + inner).hexdigest(), 16)
    device["verifier_config"] = {
        "PasswordVerifier": base64.b64encode(bytes.fromhex(pad(pow(2, x, N)))).decode(),
        "Salt": base64.b64encode(salt).decode(),
    }
    return device


@pytest.mark.usefixtures("srp_backend")
def test_confirm_device_verifier_recomputed_and_raw_salt_mistake_named() -> None:
    """The registered verifier is recomputed (device_verifier_config); x over the raw Salt bytes is named."""
    salt = bytes.fromhex(SALT)  # top bit set: padHex adds a 00 byte
    report = audit_transcript(device_with_config(salt, raw_x=False))
    assert report.consistent, report.to_json()
    assert {s.name: s.status for s in report.steps}["PasswordVerifier"] == "match"
    report = audit_transcript(device_with_config(salt, raw_x=True))
    assert report.first_divergence == "PasswordVerifier"
    assert causes(report) == ["verifier_salt_raw_bytes"]


@pytest.mark.usefixtures("srp_backend")
def test_challenge_salt_must_be_the_registered_one() -> None:
    """A SALT that is not the ConfirmDevice Salt (another device's) is a divergence at SALT."""
    device = device_with_config(b"\x01" * 16, raw_x=False)
    report = audit_transcript(device)
    assert report.first_divergence == "SALT"
