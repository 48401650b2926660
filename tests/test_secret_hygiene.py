"""Secret hygiene: no secret ever shows in a repr, an error, a log record or a command's output.

Every flow runs with recognisable secrets (the password, a, b, x, S, the derived
keys, the client secret, the device password, serve's signing key), recorded as
they are drawn or derived. Everything a user could see is then searched for
them as text, hex (any case), decimal and base64, including fragments: any 16
characters in a row of one of those spellings count as a leak, which also
catches a secret shown shortened ("1f2e…9a8b"). Error paths are included,
since errors are where values get echoed.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import logging
import secrets
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from unittest import mock

import boto3
import pytest
from botocore.config import Config

import srpkit
from srpkit import (
    DeviceSRP,
    SRPKitError,
    UserSRP,
    aws,
    device_password_verifier_request,
    device_srp_auth_request,
    new_device_secret,
    password_verifier_request,
    secret_hash,
    user_srp_auth_request,
)
from srpkit.__main__ import main
from srpkit._cli import CommandIO
from srpkit._cli import demo as _cmd_demo
from srpkit._client.device import DeviceSecret
from srpkit._core import ephemeral as _ephemeral
from srpkit._core import srp as _srp
from srpkit._core.caps import MAX_SMALL_A_BITS
from srpkit._core.group import N
from srpkit._tools.audit import audit_transcript
from srpkit.endpoint import tokens as _serve_tokens
from srpkit.endpoint import wire as _serve_users
from srpkit.endpoint.http import serve_in_thread
from srpkit.server import DeviceServerSRP, ServerSRP, make_verifier
from srpkit.server import _session as server_module

WINDOW = 16  # this many characters of a secret's spelling in a row is a leak

POOL = "eu-central-1_HyG1eNe"
CLIENT = "hygieneclient0123456789"
USER = "hygiene-user"
ALIAS = "hygiene@example.com"
PASSWORD = "Hyg13ne-PASSWORD-q7Zx!"
CLIENT_SECRET = "hyg1ene-CLIENT-SECRET-4Kp9w2v"
SMALL_A = int.from_bytes(bytes(range(7, 135)), "big")  # 1024 bits, like a drawn a
SMALL_B = int.from_bytes(bytes(range(201, 73, -1)), "big")
DEVICE_A = int.from_bytes(bytes(range(50, 178)), "big")
DEVICE_B = int.from_bytes(bytes(range(240, 112, -1)), "big")
DEVICE_PASSWORD_BYTES = bytes(range(90, 130))
GROUP_KEY = "-HyGgroupKey"
DEVICE_KEY = "eu-central-1_0b9d1c2e-3f4a-4b5c-8d6e-7f8091a2b3c4"
NOW = datetime(2024, 9, 5, 7, 8, 9, tzinfo=timezone.utc)


# ---------------------------------------------------------------- finding a secret in text


def spellings(value: object) -> list[str]:
    """The ways a secret can be written out: text, hex, decimal, base64 (standard and URL-safe)."""
    if isinstance(value, str):
        raw = value.encode("utf-8", "surrogatepass")
        return [value, raw.hex(), base64.b64encode(raw).decode()]
    if isinstance(value, (bytes, bytearray)):
        raw = bytes(value)
        return [
            raw.hex(),
            base64.b64encode(raw).decode(),
            base64.urlsafe_b64encode(raw).decode().rstrip("="),
            repr(raw)[2:-1],
        ]
    assert isinstance(value, int) and value >= 0
    raw = value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")
    return [format(value, "x"), str(value), base64.b64encode(raw).decode()]


class Secrets:
    """Labelled secret values and a search for any WINDOW-long piece of any of their spellings."""

    def __init__(self) -> None:
        self.values: dict[str, list[object]] = {}

    def add(self, label: str, value: object) -> None:
        """Remember ``value`` (unless it is too small to recognise)."""
        if isinstance(value, int) and value < 1 << 64:
            return
        self.values.setdefault(label, []).append(value)

    def finder(self) -> Callable[[str], set[str]]:
        """A function giving the labels of the secrets some piece of which appears in a text."""
        pieces: dict[str, str] = {}
        whole: dict[str, str] = {}  # spellings shorter than a window: looked for whole
        for label, values in self.values.items():
            for value in values:
                for text in spellings(value):
                    for candidate in {text, text.lower()}:
                        if len(candidate) < WINDOW:
                            whole[candidate] = label
                        for i in range(len(candidate) - WINDOW + 1):
                            pieces[candidate[i : i + WINDOW]] = label

        def find(text: str) -> set[str]:
            found = set()
            for candidate in (text, text.lower()):
                for i in range(len(candidate) - WINDOW + 1):
                    label = pieces.get(candidate[i : i + WINDOW])
                    if label is not None:
                        found.add(label)
                found.update(label for piece, label in whole.items() if piece in candidate)
            return found

        return find


def error_texts(exc: BaseException) -> list[str]:
    """Everything an error shows: str, repr and the whole formatted traceback (with its chain)."""
    return [str(exc), repr(exc), "".join(traceback.format_exception(exc))]


class Watch:
    """What a test shows the world (texts, exceptions, log records, warnings) and its secrets."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog
        self.secrets = Secrets()
        self.texts: list[tuple[str, str]] = []
        self.warnings: list[warnings.WarningMessage] | None = []
        self.checked = False

    def show(self, where: str, *values: object) -> None:
        """Record what a user would see of ``values`` (their str and repr)."""
        for value in values:
            self.texts.append((where, str(value)))
            self.texts.append((where, repr(value)))

    def refused(self, where: str, call: Callable[[], object]) -> SRPKitError:
        """Run a call that must fail with a typed error; record everything the error shows."""
        with pytest.raises(SRPKitError) as info:
            call()
        for text in error_texts(info.value):
            self.texts.append((where, text))
        return info.value

    def check(self) -> None:
        """Fail naming where each secret leaked."""
        self.checked = True
        records = self.caplog.get_records("setup") + self.caplog.get_records("call")
        everything = list(self.texts)
        everything += [("log record", self.caplog.handler.format(r)) for r in records]
        everything += [("log args", repr(r.args)) for r in records]
        everything += [("warning", str(w.message)) for w in self.warnings or ()]
        find = self.secrets.finder()
        leaks = {f"{label} in {where}" for where, text in everything for label in find(text)}
        assert not leaks, sorted(leaks)
        assert self.secrets.values, "the test recorded no secret"


def _spy(
    record: Callable[[Any, tuple[Any, ...]], None], func: Callable[..., Any]
) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = func(*args, **kwargs)
        record(result, args + tuple(kwargs.values()))
        return result

    return wrapper


def spy_everywhere(
    stack: contextlib.ExitStack, func: Any, record: Callable[[Any, tuple[Any, ...]], None]
) -> None:
    """Wrap ``func`` in every srpkit module that holds it, so each call's result is recorded."""
    wrapper = _spy(record, func)
    for name, module in list(sys.modules.items()):
        if name == "srpkit" or name.startswith("srpkit."):
            for attr, value in list(vars(module).items()):
                if value is func:
                    stack.enter_context(mock.patch.object(module, attr, wrapper))


@pytest.fixture
def watch(caplog: pytest.LogCaptureFixture) -> Iterator[Watch]:
    """DEBUG logging everywhere, every derived secret recorded; checks for leaks at the end."""
    seen = Watch(caplog)
    for label, value in (
        ("password", PASSWORD),
        ("client secret", CLIENT_SECRET),
        ("a", SMALL_A),
        ("b", SMALL_B),
        ("a", DEVICE_A),
        ("b", DEVICE_B),
        ("device password", base64.b64encode(DEVICE_PASSWORD_BYTES).decode()),
    ):
        seen.secrets.add(label, value)
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        caplog.set_level(logging.DEBUG, logger=name)
    add = seen.secrets.add
    with contextlib.ExitStack() as stack:
        # x, S and the key wherever they are derived; a, b as drawn; device passwords as made.
        spy_everywhere(stack, _srp.private_key, lambda x, _: add("x", x))
        spy_everywhere(stack, _srp.premaster_secret, lambda s, _: add("S", s))
        spy_everywhere(stack, _srp.server_premaster_secret, lambda s, _: add("S", s))

        def key_and_s(key: Any, args: tuple[Any, ...]) -> None:
            add("key", key)
            add("S", args[0])

        spy_everywhere(stack, _srp.derive_key, key_and_s)
        spy_everywhere(stack, _ephemeral.draw_small_a, lambda a, _: add("a", a))
        spy_everywhere(stack, server_module._draw_b, lambda b, _: add("b", b))
        spy_everywhere(stack, _serve_users.new_client_secret, lambda s, _: add("client secret", s))
        original_init = DeviceSecret.__init__

        def device_secret_init(self: DeviceSecret, *args: Any, **kwargs: Any) -> None:
            original_init(self, *args, **kwargs)
            add("device password", self.password)

        stack.enter_context(mock.patch.object(DeviceSecret, "__init__", device_secret_init))
        original_generate = _serve_tokens.SigningKey.generate

        def generate() -> Any:
            key = original_generate()
            pem = key.to_pem()
            add("signing key", "".join(pem.splitlines()[1:-1]))
            return key

        stack.enter_context(
            mock.patch.object(_serve_tokens.SigningKey, "generate", staticmethod(generate))
        )
        with warnings.catch_warnings(record=True) as seen.warnings:
            warnings.simplefilter("always")
            yield seen
    assert seen.checked, "a hygiene test must end with watch.check()"


# ---------------------------------------------------------------- the library


@pytest.mark.usefixtures("srp_backend")
def test_user_and_device_flows_leak_nothing(watch: Watch) -> None:
    """A user sign-in, ConfirmDevice and a device sign-in, server side included, show no secret."""
    salt, verifier = make_verifier(POOL, USER, PASSWORD)
    client = UserSRP(
        POOL,
        CLIENT,
        ALIAS,
        PASSWORD,
        client_secret=CLIENT_SECRET,
        device_key=DEVICE_KEY,
        small_a=SMALL_A,
    )
    server = ServerSRP(
        POOL,
        USER,
        salt,
        verifier,
        small_b=SMALL_B,
        aliases=(ALIAS,),
        client_id=CLIENT,
        client_secret=CLIENT_SECRET,
    )
    body = user_srp_auth_request(client)
    params = server.start(body["AuthParameters"])
    response = {
        "ChallengeName": "PASSWORD_VERIFIER",
        "Session": "s" * 40,
        "ChallengeParameters": params,
    }
    answer = password_verifier_request(client, response, now=NOW)
    claim, _, _ = client.password_claim(params, now=NOW)
    server.verify(answer["ChallengeResponses"], now=NOW)
    watch.show("user flow", client, server, body, params, answer, claim, claim.srp_a)

    device = new_device_secret(GROUP_KEY, DEVICE_KEY, password=DEVICE_PASSWORD_BYTES)
    device_client = client.device_srp(GROUP_KEY, device.password, params, small_a=DEVICE_A)
    device_server = DeviceServerSRP(
        USER,
        GROUP_KEY,
        DEVICE_KEY,
        device.verifier_config,
        small_b=DEVICE_B,
        client_id=CLIENT,
        client_secret=CLIENT_SECRET,
    )
    asked = {"ChallengeName": "DEVICE_SRP_AUTH", "Session": "t" * 40, "ChallengeParameters": {}}
    device_body = device_srp_auth_request(device_client, asked)
    device_params = device_server.start(device_body["ChallengeResponses"])
    device_response = {
        "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
        "Session": "u" * 40,
        "ChallengeParameters": device_params,
    }
    device_answer = device_password_verifier_request(device_client, device_response, now=NOW)
    device_server.verify(device_answer["ChallengeResponses"], now=NOW)
    device_claim, _, _ = device_client.password_claim(device_params, now=NOW)
    watch.show(
        "device flow",
        device,
        device.verifier_config,
        device_client,
        device_server,
        device_body,
        device_params,
        device_answer,
        device_claim,
    )
    watch.check()


@pytest.mark.usefixtures("srp_backend")
def test_error_paths_leak_nothing(watch: Watch) -> None:
    """Every refusal involving a secret (bad values, bad challenges, wrong answers) shows none."""
    salt, verifier = make_verifier(POOL, USER, PASSWORD)
    client = UserSRP(POOL, CLIENT, USER, PASSWORD, client_secret=CLIENT_SECRET, small_a=SMALL_A)
    refused = watch.refused
    refused("long password", lambda: UserSRP(POOL, CLIENT, USER, PASSWORD * 20))
    refused("surrogate password", lambda: UserSRP(POOL, CLIENT, USER, PASSWORD + "\ud800"))
    refused(
        "long client secret",
        lambda: UserSRP(POOL, CLIENT, USER, PASSWORD, client_secret=CLIENT_SECRET * 40),
    )
    refused(
        "surrogate client secret",
        lambda: UserSRP(POOL, CLIENT, USER, PASSWORD, client_secret="\udcff" + CLIENT_SECRET),
    )
    refused(
        "a too big",
        lambda: UserSRP(POOL, CLIENT, USER, PASSWORD, small_a=(1 << MAX_SMALL_A_BITS) + SMALL_A),
    )
    refused("a negative", lambda: UserSRP(POOL, CLIENT, USER, PASSWORD, small_a=-SMALL_A))
    as_text: Any = format(SMALL_A, "x")
    refused("a as text", lambda: UserSRP(POOL, CLIENT, USER, PASSWORD, small_a=as_text))
    refused(
        "every argument bad",
        lambda: UserSRP(
            "nope",
            "bad id",
            "bad user",
            PASSWORD * 20,
            client_secret=CLIENT_SECRET * 40,
            small_a=(1 << MAX_SMALL_A_BITS) + SMALL_A,
        ),
    )
    refused(
        "long device password",
        lambda: DeviceSRP(GROUP_KEY, DEVICE_KEY, PASSWORD * 60, USER, CLIENT),
    )
    refused(
        "device password bytes",
        lambda: new_device_secret(GROUP_KEY, DEVICE_KEY, password=DEVICE_PASSWORD_BYTES + b"!"),
    )
    refused(
        "b too big",
        lambda: ServerSRP(POOL, USER, salt, verifier, small_b=(1 << MAX_SMALL_A_BITS) + SMALL_B),
    )
    refused(
        "server client secret",
        lambda: ServerSRP(
            POOL, USER, salt, verifier, client_id=CLIENT, client_secret=CLIENT_SECRET * 40
        ),
    )
    refused("make_verifier password", lambda: make_verifier(POOL, USER, PASSWORD + "\udc80"))
    refused("secret_hash user", lambda: secret_hash("bad user", CLIENT, CLIENT_SECRET))
    refused("secret_hash secret", lambda: secret_hash(USER, CLIENT, CLIENT_SECRET * 40))
    refused("secret_hash surrogate", lambda: secret_hash(USER, CLIENT, CLIENT_SECRET + "\ud800"))
    good = {"SALT": salt, "SRP_B": "ab" * 200, "SECRET_BLOCK": "c2VjcmV0", "USER_ID_FOR_SRP": USER}
    for name, challenge in (
        ("B = 0", {**good, "SRP_B": "0"}),
        ("B = N", {**good, "SRP_B": format(N, "x")}),
        ("bad salt", {**good, "SALT": "zz"}),
        ("bad block", {**good, "SECRET_BLOCK": "%%"}),
        ("missing", {}),
        ("bad user id", {**good, "USER_ID_FOR_SRP": "a b"}),
    ):
        refused(f"challenge {name}", lambda c=challenge: client.process_challenge(c, now=NOW))  # type: ignore[misc]

    def server() -> ServerSRP:
        return ServerSRP(
            POOL,
            USER,
            salt,
            verifier,
            small_b=SMALL_B,
            client_id=CLIENT,
            client_secret=CLIENT_SECRET,
        )

    session = server()
    params = session.start(client.auth_parameters())
    right = client.process_challenge(params, now=NOW)
    wrong = UserSRP(
        POOL, CLIENT, USER, PASSWORD + "?", client_secret=CLIENT_SECRET, small_a=SMALL_A
    )
    session = server()
    wrong_answer = wrong.process_challenge(session.start(wrong.auth_parameters()), now=NOW)
    refused("wrong password", lambda: session.verify(wrong_answer, now=NOW))
    for name, change in (
        ("signature", {"PASSWORD_CLAIM_SIGNATURE": "AAAA"}),
        ("secret hash", {"SECRET_HASH": "x"}),
        ("timestamp", {"TIMESTAMP": "Thu Sep 05 07:08:09 UTC 2024"}),
        ("block", {"PASSWORD_CLAIM_SECRET_BLOCK": "QUJD"}),
    ):
        session = server()
        session.start(client.auth_parameters())
        refused(f"verify {name}", lambda s=session, c=change: s.verify({**right, **c}, now=NOW))  # type: ignore[misc]
    refused("replay", lambda: session.verify(right, now=NOW))
    refused(
        "SRP_A = N", lambda: server().start({**client.auth_parameters(), "SRP_A": format(N, "x")})
    )
    transcript = audit_input(client, params, right)
    refused("audit bad S", lambda: audit_transcript({**transcript, "intermediates": {"S": "zz"}}))
    refused("audit bad a", lambda: audit_transcript({**transcript, "a": "-" + transcript["a"]}))
    refused(
        "audit surrogate password",
        lambda: audit_transcript({**transcript, "password": PASSWORD + "\ud800"}),
    )
    watch.check()


# ---------------------------------------------------------------- the command line


def run_cli(
    argv: list[str], *, stdin: str = "", env: dict[str, str] | None = None
) -> tuple[int, str]:
    """Run ``srpkit`` in-process; (status, stdout + stderr, argparse's included)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv, CommandIO(io.StringIO(stdin), out, err, env or {}))
    return status, out.getvalue() + err.getvalue()


@pytest.mark.usefixtures("srp_backend")
def test_demo_leaks_nothing(watch: Watch) -> None:
    """`srpkit demo` (plain, brief, with a client secret, and failing) prints no secret."""
    real = secrets

    class RecordingSecrets:
        """The demo's own draws (its client secret), recorded."""

        @staticmethod
        def token_urlsafe(n: int) -> str:
            value: str = real.token_urlsafe(n)
            watch.secrets.add("client secret", value)
            return value

    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(_cmd_demo, "_draw_password", return_value=PASSWORD))
        stack.enter_context(mock.patch.object(_cmd_demo, "secrets", RecordingSecrets))
        for args in ([], ["--brief"], ["--with-client-secret", "--color", "always"]):
            status, text = run_cli(["demo", *args])
            assert status == 0, text
            watch.texts.append((f"demo {args}", text))

        def wrong_password(
            pool_id: str, client_id: str, name: str, password: str, **kw: Any
        ) -> UserSRP:
            return UserSRP(pool_id, client_id, name, password + "-wrong", **kw)

        with mock.patch.object(_cmd_demo, "UserSRP", wrong_password):
            status, text = run_cli(["demo", "--with-client-secret"])
        assert status == 1 and "NotAuthorizedException" in text, text
        watch.texts.append(("demo failing", text))
    watch.check()


def audit_input(
    client: UserSRP, params: dict[str, str], responses: dict[str, str]
) -> dict[str, Any]:
    """A transcript with every secret in it: password, a, and x, S and the key logged."""
    claim, _, _ = client.password_claim(params, now=NOW)
    return {
        "pool_id": POOL,
        "auth_parameters": client.auth_parameters(),
        "challenge_parameters": params,
        "challenge_responses": responses,
        "password": PASSWORD,
        "a": format(SMALL_A, "x"),
        "intermediates": {
            "x": format(claim.x, "x"),
            "S": format(claim.premaster, "x"),
            "key": claim.key.hex(),
            "u": format(claim.u, "x"),
        },
    }


@pytest.mark.usefixtures("srp_backend")
def test_audit_leaks_nothing(watch: Watch, tmp_path: Path) -> None:
    """`srpkit audit`, table and --json, consistent, divergent and refused, shows x, S, key only as fingerprints."""
    salt, verifier = make_verifier(POOL, USER, PASSWORD)
    client = UserSRP(POOL, CLIENT, USER, PASSWORD, small_a=SMALL_A)
    server = ServerSRP(POOL, USER, salt, verifier, small_b=SMALL_B)
    params = server.start(client.auth_parameters())
    responses = client.process_challenge(params, now=NOW)
    full = audit_input(client, params, responses)
    divergent = json.loads(json.dumps(full))
    divergent["challenge_responses"]["PASSWORD_CLAIM_SIGNATURE"] = "A" * 43 + "="
    divergent["intermediates"]["S"] = format(int(full["intermediates"]["S"], 16) ^ 1, "x")
    bare = {k: v for k, v in full.items() if k not in ("password", "a")}
    refused = {**full, "intermediates": {**full["intermediates"], "key": "not hex"}}
    env = {"SRPKIT_PASSWORD": PASSWORD, "SRPKIT_SMALL_A": format(SMALL_A, "x")}
    for name, data in (
        ("full", full),
        ("divergent", divergent),
        ("bare", bare),
        ("refused", refused),
    ):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data))
        for extra in ([], ["--json"]):
            status, text = run_cli(["audit", str(path), *extra], env=env)
            assert status == (2 if name == "refused" else 0 if name != "divergent" else 1), text
            watch.texts.append((f"audit {name} {extra}", text))
        status, text = run_cli(["audit", str(path), "--password-stdin"], stdin=PASSWORD + "\n")
        watch.texts.append((f"audit {name} --password-stdin", text))
    status, text = run_cli(["audit", "-"], stdin=json.dumps(full)[:-5])
    assert status == 2
    watch.texts.append(("audit of broken JSON holding the password", text))
    watch.check()


def test_secret_hash_cli_leaks_nothing(watch: Watch) -> None:
    """`srpkit secret-hash` prints the hash, and its errors name no secret."""
    env = {"SRPKIT_CLIENT_SECRET": CLIENT_SECRET}
    for argv, stdin, status_wanted in (
        (["--username", USER, "--client-id", CLIENT], "", 0),
        (
            ["--username", USER, "--client-id", CLIENT, "--client-secret-stdin"],
            CLIENT_SECRET + "\n",
            0,
        ),
        (["--username", "bad user", "--client-id", CLIENT], "", 1),
        (["--username", USER, "--client-id", "bad id!"], "", 1),
        (
            ["--username", USER, "--client-id", CLIENT, "--client-secret-stdin"],
            CLIENT_SECRET * 40,
            1,
        ),
        (["--username", USER, "--client-id", CLIENT, "--client-secret", CLIENT_SECRET], "", 2),
    ):
        status, text = run_cli(["secret-hash", *argv], stdin=stdin, env=env)
        assert status == status_wanted, text
        if argv[-2:] != ["--client-secret", CLIENT_SECRET]:  # argparse echoes what it refuses
            watch.texts.append((f"secret-hash {argv}", text))
    watch.check()


@pytest.mark.usefixtures("srp_backend")
def test_vectors_check_leaks_nothing(watch: Watch, tmp_path: Path) -> None:
    """`srpkit vectors check` reports passes and failures without printing the tests' secrets."""
    salt, verifier = make_verifier(POOL, USER, PASSWORD)
    client = UserSRP(POOL, CLIENT, USER, PASSWORD, small_a=SMALL_A)
    params = ServerSRP(POOL, USER, salt, verifier, small_b=SMALL_B).start(client.auth_parameters())
    claim, _, stamp = client.password_claim(params, now=NOW)
    test = {
        "tcId": 1,
        "comment": "hygiene",
        "flags": [],
        "result": "valid",
        "poolId": POOL,
        "username": USER,
        "password": PASSWORD,
        "a": format(SMALL_A, "x"),
        "salt": params["SALT"],
        "srpB": params["SRP_B"],
        "secretBlock": params["SECRET_BLOCK"],
        "timestamp": stamp,
        "srpA": client.srp_a,
        "u": srpkit.pad_hex(claim.u),
        "x": srpkit.pad_hex(claim.x),
        "S": srpkit.pad_hex(claim.premaster),
        "key": claim.key.hex(),
        "signature": claim.signature,
    }
    tests = [
        test,
        {**test, "tcId": 2, "signature": "A" * 43 + "=", "S": srpkit.pad_hex(claim.premaster ^ 1)},
        {**test, "tcId": 3, "password": PASSWORD * 20, "result": "invalid"},
        {**test, "tcId": 4, "result": "invalid"},
    ]
    doc = {
        "algorithm": "COGNITO-SRP-6A-3072-SHA256",
        "schema": "cognito_password_verifier_test_schema.json",
        "numberOfTests": len(tests),
        "header": [],
        "notes": {},
        "testGroups": [{"type": "PasswordVerifierTest", "tests": tests}],
    }
    path = tmp_path / "hygiene_test.json"
    path.write_text(json.dumps(doc))
    status, text = run_cli(["vectors", "check", str(path)])
    assert status == 1 and "2 passed, 2 failed" in text, text
    watch.texts.append(("vectors check", text))
    watch.check()


# ---------------------------------------------------------------- srpkit serve


@pytest.mark.usefixtures("srp_backend")
def test_serve_responses_and_log_lines_leak_nothing(watch: Watch) -> None:
    """Over HTTP with boto3 (logging at DEBUG): sign-ins, devices, refusals; no response or log line has a secret."""
    lines: list[str] = []
    with serve_in_thread(log=lines.append) as handle:
        service = handle.service
        pool = service.create_pool(
            "hygiene",
            password_policy={"MinimumLength": 8},
            device_configuration={
                "ChallengeRequiredOnNewDevice": True,
                "DeviceOnlyRememberedOnUserPrompt": False,
            },
        )
        app = service.create_client(
            pool.id,
            "app",
            secret=CLIENT_SECRET,
            explicit_auth_flows=(
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_USER_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH",
            ),
        )
        service.add_user(pool.id, USER, PASSWORD)
        client = boto3.client(
            "cognito-idp",
            region_name="eu-central-1",
            endpoint_url=handle.url,
            aws_access_key_id="x",
            aws_secret_access_key="x",
            config=Config(retries={"total_max_attempts": 1}),
        )
        shown: list[object] = []
        kwargs: dict[str, Any] = {
            "pool_id": pool.id,
            "client_id": app.id,
            "username": USER,
            "client_secret": CLIENT_SECRET,
        }
        first = aws.authenticate(client, password=PASSWORD, **kwargs)
        assert first.signed_in
        meta = first.new_device_metadata
        assert meta is not None
        device = aws.confirm_device(
            client,
            access_token=first.authentication_result["AccessToken"],  # type: ignore[index]
            device_key=meta["DeviceKey"],
            device_group_key=meta["DeviceGroupKey"],
        )
        again = aws.authenticate(client, password=PASSWORD, device=device, **kwargs)
        assert again.signed_in
        choice = aws.authenticate(client, password=PASSWORD, flow="USER_AUTH", **kwargs)
        shown += [first, device, again, choice, first.authentication_result]
        for name, call in (
            ("wrong password", lambda: aws.authenticate(client, password=PASSWORD + "!", **kwargs)),
            (
                "wrong secret",
                lambda: aws.authenticate(
                    client, password=PASSWORD, **{**kwargs, "client_secret": CLIENT_SECRET + "x"}
                ),
            ),
            (
                "bad device password",
                lambda: aws.authenticate(
                    client,
                    password=PASSWORD,
                    device=aws.ConfirmedDevice(
                        device.device_key, device.device_group_key, device.password[::-1]
                    ),
                    **kwargs,
                ),
            ),
        ):
            with pytest.raises(client.exceptions.NotAuthorizedException) as info:
                call()
            shown += [name, info.value.response, *error_texts(info.value)]
        watch.show("serve responses", *shown)
    watch.texts += [("serve log", line) for line in lines]
    assert any("NotAuthorizedException [signature" in line for line in lines), lines
    watch.check()
