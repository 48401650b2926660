"""``srpkit demo``: a whole Cognito SRP sign-in, user and device, against the embedded verifier.

Everything runs in this process: no AWS account, nothing leaves the machine.
srpkit's client (UserSRP, DeviceSRP and the request builders) talks to a small
in-memory user pool built on ``srpkit.server``, and every message is printed
(secrets elided) with the time each side took. Exit status 0 when every step
passed, 1 when one failed.
"""

from __future__ import annotations

import argparse
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from .._client.device import DeviceSecret, new_device_secret
from .._client.requests import (
    device_password_verifier_request,
    device_srp_auth_request,
    password_verifier_request,
    user_srp_auth_request,
)
from .._client.user import UserSRP
from .._core.backend import backend
from .._core.errors import SRPKitError
from .._core.group import N
from . import CommandIO

if TYPE_CHECKING:
    from ..endpoint.service import UserPool

# The endpoint (the in-memory pool this demo signs in against) is imported where it
# is used, not at the top: every other command's start-up would pay for it
# (tests/cli/test_startup_imports.py).

T = TypeVar("T")

POOL_ID = "us-east-1_SrpKitDemo"
CLIENT_ID = "5rpk1tdem0c1ient1d00000000"
USERNAME = "b1f7c0de-5f7e-4a8e-9a53-0d3c5e9f2a71"  # the internal name, as for email sign-in pools
ALIAS = "demo@example.com"
_ELIDED = "<elided>"
# Values shown as "<elided>": credentials, or what would let someone sign in.
_SECRET_KEYS = frozenset({"AccessToken", "IdToken", "RefreshToken", "PasswordVerifier", "verifier"})


def register(commands: Any) -> None:
    """Add the ``demo`` subcommand."""
    p = commands.add_parser(
        "demo",
        help="run a whole user + device SRP sign-in against the embedded verifier (no AWS)",
        description="Create a user in an in-memory user pool, then sign in with USER_SRP_AUTH -> "
        "PASSWORD_VERIFIER, register the device (ConfirmDevice), and sign in again with it "
        "(DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER); finally show that a wrong password and an "
        "unsafe SRP_A are refused. Prints every message (secrets elided) and the time each side "
        "took. Exit status 0 when all steps pass.",
    )
    p.add_argument("--brief", action="store_true", help="print one line per step, no messages")
    p.add_argument(
        "--with-client-secret",
        action="store_true",
        help="give the app client a (random) secret, so SECRET_HASH is sent and checked",
    )
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the output (auto: when writing to a terminal and NO_COLOR is unset)",
    )
    p.set_defaults(run=run)


class _Style:
    """Colours and symbols, degraded for dumb terminals and non-UTF-8 output."""

    def __init__(self, io: CommandIO, color: str) -> None:
        isatty = getattr(io.stdout, "isatty", lambda: False)()
        self.color = color == "always" or (
            color == "auto"
            and isatty
            and "NO_COLOR" not in io.environ
            and io.environ.get("TERM") != "dumb"
        )
        encoding = getattr(io.stdout, "encoding", None) or "utf-8"
        try:
            "✓✗→←…─".encode(encoding)
            self.unicode = True
        except (UnicodeEncodeError, LookupError):
            self.unicode = False
        self.ok = "✓" if self.unicode else "ok"
        self.fail = "✗" if self.unicode else "XX"
        self.out = "→" if self.unicode else "->"
        self.back = "←" if self.unicode else "<-"
        self.ellipsis = "…" if self.unicode else "~"
        self.rule = "─" if self.unicode else "-"

    def _sgr(self, code: str, text: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    def bold(self, text: str) -> str:
        return self._sgr("1", text)

    def dim(self, text: str) -> str:
        return self._sgr("2", text)

    def green(self, text: str) -> str:
        return self._sgr("32", text)

    def red(self, text: str) -> str:
        return self._sgr("31", text)

    def cyan(self, text: str) -> str:
        return self._sgr("36", text)


@dataclass
class _Timing:
    client: float = 0.0
    server: float = 0.0


class _Demo:
    """Prints the steps as they run and keeps the running totals."""

    def __init__(self, io: CommandIO, style: _Style, brief: bool) -> None:
        self.io = io
        self.style = style
        self.brief = brief
        self.number = 0
        self.total = _Timing()

    def print(self, text: str = "") -> None:
        print(text, file=self.io.stdout)

    @staticmethod
    def client(timing: _Timing, func: Callable[[], T]) -> T:
        """Run client code, adding its time to ``timing``."""
        start = time.perf_counter()
        try:
            return func()
        finally:
            timing.client += time.perf_counter() - start

    @staticmethod
    def server(
        timing: _Timing, pool: UserPool, operation: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Send ``body`` to the pool, adding its time to ``timing``."""
        start = time.perf_counter()
        try:
            return pool.handle(operation, body)
        finally:
            timing.server += time.perf_counter() - start

    def section(self, title: str) -> None:
        self.print()
        self.print(self.style.bold(title))

    def step(self, title: str, timing: _Timing, *, ok: bool = True) -> None:
        """The step's headline: mark, number, title and the time each side took."""
        self.number += 1
        self.total.client += timing.client
        self.total.server += timing.server
        mark = self.style.green(self.style.ok) if ok else self.style.red(self.style.fail)
        parts = []
        if timing.client:
            parts.append(f"client {timing.client * 1000:5.1f} ms")
        if timing.server:
            parts.append(f"server {timing.server * 1000:5.1f} ms")
        head = f"{self.number}. {title}"
        pad = max(_TITLE_WIDTH - len(head), 2)
        self.print(f" {mark} {self.style.bold(head)}{' ' * pad}{self.style.dim('  '.join(parts))}")

    def note(self, text: str, *, good: bool = True) -> None:
        """A line under a step saying what it proved."""
        colour = self.style.green if good else self.style.red
        self.print(f"      {colour(text)}")

    def message(self, arrow: str, title: str, fields: Mapping[str, Any]) -> None:
        """One message: a header line, then its fields (secrets elided, long values shortened)."""
        if self.brief:
            return
        self.print(f"      {self.style.cyan(arrow)} {title}")
        self._fields(fields, 10)

    def _fields(self, fields: Mapping[str, Any], indent: int) -> None:
        width = max((len(k) for k in fields), default=0) + 2
        for key, value in fields.items():
            if isinstance(value, Mapping):
                self.print(f"{'':{indent}}{key}")
                self._fields(value, indent + 2)
            else:
                shown = self.style.dim(self._show(key, value))
                self.print(f"{'':{indent}}{key:<{width}}{shown}")

    def _show(self, key: str, value: Any) -> str:
        if key in _SECRET_KEYS:
            return _ELIDED
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if len(text) > 56:
            return f"{text[:20]}{self.style.ellipsis}{text[-8:]}  ({len(text)} chars)"
        return text


_TITLE_WIDTH = 58


def _request(body: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """(header, fields) for a request: the flow or challenge named, its parameters listed."""
    if "AuthFlow" in body:
        return f"InitiateAuth {body['AuthFlow']}", dict(body.get("AuthParameters", {}))
    if "ChallengeName" in body:
        return (
            f"RespondToAuthChallenge {body['ChallengeName']}",
            dict(body.get("ChallengeResponses", {})),
        )
    return "ConfirmDevice", dict(body)


def _response(response: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    if "ChallengeName" in response:
        return f"challenge {response['ChallengeName']}", dict(
            response.get("ChallengeParameters") or {}
        )
    if "AuthenticationResult" in response:
        return "AuthenticationResult (signed in)", dict(response["AuthenticationResult"])
    return "response", dict(response)


def _exchange(demo: _Demo, body: Mapping[str, Any], response: Mapping[str, Any]) -> None:
    demo.message(demo.style.out, *_request(body))
    demo.message(demo.style.back, *_response(response))


def run(args: argparse.Namespace, io: CommandIO) -> int:
    """Run the demo; 0 if every step passed."""
    from ..endpoint.wire import ServiceError  # noqa: PLC0415 - start-up

    style = _Style(io, args.color)
    demo = _Demo(io, style, args.brief)
    client_secret = secrets.token_urlsafe(32) if args.with_client_secret else None
    password = _draw_password()
    dot = " · " if style.unicode else ", "
    demo.print(
        f"{style.bold('srpkit demo')}: Amazon Cognito SRP end to end, in this process "
        "(no AWS account, no network)"
    )
    demo.print(
        style.dim(
            f"  pool {POOL_ID}{dot}app client {CLIENT_ID}"
            f"{' (with secret)' if client_secret else ''}{dot}arithmetic: {backend()}"
        )
    )
    failed = False
    try:
        _run_steps(demo, password, client_secret)
    except (ServiceError, SRPKitError, _UnexpectedAnswerError) as exc:
        demo.step(_failure_title(exc), _Timing(), ok=False)
        demo.note(_failure(exc), good=False)
        failed = True
    demo.print()
    total = demo.total.client + demo.total.server
    summary = (
        f"{demo.number} steps in {total * 1000:.0f} ms "
        f"(client {demo.total.client * 1000:.0f} ms, server {demo.total.server * 1000:.0f} ms)"
    )
    if failed:
        demo.print(style.red(f"{style.fail} FAILED at step {demo.number} of {summary}"))
        return 1
    demo.print(
        style.green(f"{style.ok} all {summary}: every proof verified, every forgery refused")
    )
    return 0


def _draw_password() -> str:
    """The demo user's password: random per run, and never printed."""
    return secrets.token_urlsafe(18)


class _UnexpectedAnswerError(Exception):
    """The pool answered, but not as Cognito would have."""


def _failure_title(exc: BaseException) -> str:
    return "unexpected answer" if isinstance(exc, _UnexpectedAnswerError) else "error"


def _failure(exc: BaseException) -> str:
    from ..endpoint.wire import ServiceError  # noqa: PLC0415 - start-up

    if isinstance(exc, ServiceError) and exc.detail is not None:
        return f"{exc.code}: {exc.detail} [{exc.detail.reason}]"
    return f"{type(exc).__name__}: {exc}"


def _expect(response: Mapping[str, Any], challenge: str | None) -> None:
    """Fail unless ``response`` asks ``challenge`` (or, for None, carries tokens)."""
    if challenge is None:
        if "AuthenticationResult" not in response:
            raise _UnexpectedAnswerError(f"expected tokens, got {response.get('ChallengeName')!r}")
    elif response.get("ChallengeName") != challenge:
        raise _UnexpectedAnswerError(f"expected {challenge}, got {response.get('ChallengeName')!r}")


def _run_steps(demo: _Demo, password: str, client_secret: str | None) -> None:
    from ..endpoint.service import UserPool  # noqa: PLC0415 - start-up

    pool = UserPool(POOL_ID, CLIENT_ID, client_secret=client_secret)
    secret_kw: dict[str, Any] = {"client_secret": client_secret} if client_secret else {}
    _setup(demo, pool, password)
    demo.section(f"Sign-in 1: {ALIAS} on a new device")
    client = UserSRP(POOL_ID, CLIENT_ID, ALIAS, password, **secret_kw)
    metadata, access_token = _first_sign_in(demo, pool, client)
    device = _confirm_device(demo, pool, metadata, access_token)
    demo.section(f"Sign-in 2: {ALIAS} on the remembered device")
    client = UserSRP(POOL_ID, CLIENT_ID, ALIAS, password, device_key=device.device_key, **secret_kw)
    _device_sign_in(demo, pool, client, device)
    demo.section("The verifier refuses forgeries")
    wrong = UserSRP(POOL_ID, CLIENT_ID, ALIAS, password + "!", **secret_kw)
    _refusal(demo, pool, wrong, what="a wrong password", reason="signature")
    right = UserSRP(POOL_ID, CLIENT_ID, ALIAS, password, **secret_kw)
    _refusal(
        demo,
        pool,
        right,
        what="SRP_A = N (a sign-in without the password)",
        reason="srp_a",
        srp_a=format(N, "x"),
    )


def _setup(demo: _Demo, pool: UserPool, password: str) -> None:
    demo.section("Setup")
    timing = _Timing()
    start = time.perf_counter()
    user = pool.add_user(USERNAME, password, aliases=(ALIAS,))
    timing.server += time.perf_counter() - start
    demo.step("AdminCreateUser (a random password)", timing)
    demo.message(
        demo.style.back,
        "the pool stores a salt and a verifier, never the password",
        {
            "Username": USERNAME,
            "email (alias)": ALIAS,
            "SALT": user.salt,
            "verifier": user.verifier,
        },
    )


def _first_sign_in(demo: _Demo, pool: UserPool, client: UserSRP) -> tuple[dict[str, str], str]:
    timing = _Timing()
    body = demo.client(timing, lambda: user_srp_auth_request(client))
    challenge = demo.server(timing, pool, "InitiateAuth", body)
    _expect(challenge, "PASSWORD_VERIFIER")
    demo.step("InitiateAuth (USER_SRP_AUTH)", timing)
    _exchange(demo, body, challenge)
    demo.note(f"{ALIAS} is an alias: the client must sign USER_ID_FOR_SRP, the internal name")

    timing = _Timing()
    body = demo.client(timing, lambda: password_verifier_request(client, challenge))
    response = demo.server(timing, pool, "RespondToAuthChallenge", body)
    _expect(response, None)
    result = response["AuthenticationResult"]
    if "NewDeviceMetadata" not in result:
        raise _UnexpectedAnswerError("expected NewDeviceMetadata with the tokens")
    demo.step("RespondToAuthChallenge (PASSWORD_VERIFIER)", timing)
    _exchange(demo, body, response)
    demo.note("signature verified: the client knows the password")
    return dict(result["NewDeviceMetadata"]), str(result["AccessToken"])


def _confirm_device(
    demo: _Demo, pool: UserPool, metadata: Mapping[str, str], access_token: str
) -> DeviceSecret:
    timing = _Timing()
    device = demo.client(
        timing, lambda: new_device_secret(metadata["DeviceGroupKey"], metadata["DeviceKey"])
    )
    body = {
        "AccessToken": access_token,
        "DeviceKey": device.device_key,
        "DeviceSecretVerifierConfig": device.verifier_config,
        "DeviceName": "srpkit demo",
    }
    response = demo.server(timing, pool, "ConfirmDevice", body)
    demo.step("ConfirmDevice", timing)
    _exchange(demo, body, response)
    demo.note("the device has its own verifier; its password never leaves the client")
    return device


def _device_sign_in(demo: _Demo, pool: UserPool, client: UserSRP, device: DeviceSecret) -> None:
    timing = _Timing()
    body = demo.client(timing, lambda: user_srp_auth_request(client))
    challenge = demo.server(timing, pool, "InitiateAuth", body)
    _expect(challenge, "PASSWORD_VERIFIER")
    body = demo.client(timing, lambda: password_verifier_request(client, challenge))
    asked = demo.server(timing, pool, "RespondToAuthChallenge", body)
    _expect(asked, "DEVICE_SRP_AUTH")
    demo.step("InitiateAuth + PASSWORD_VERIFIER, with DEVICE_KEY", timing)
    _exchange(demo, body, asked)
    demo.note("password verified; the pool now asks the device to prove itself")

    timing = _Timing()
    device_client = demo.client(
        timing,
        lambda: client.device_srp(
            device.device_group_key, device.password, challenge["ChallengeParameters"]
        ),
    )
    body = demo.client(timing, lambda: device_srp_auth_request(device_client, asked))
    verifier_challenge = demo.server(timing, pool, "RespondToAuthChallenge", body)
    _expect(verifier_challenge, "DEVICE_PASSWORD_VERIFIER")
    demo.step("RespondToAuthChallenge (DEVICE_SRP_AUTH)", timing)
    _exchange(demo, body, verifier_challenge)

    timing = _Timing()
    body = demo.client(
        timing, lambda: device_password_verifier_request(device_client, verifier_challenge)
    )
    response = demo.server(timing, pool, "RespondToAuthChallenge", body)
    _expect(response, None)
    demo.step("RespondToAuthChallenge (DEVICE_PASSWORD_VERIFIER)", timing)
    _exchange(demo, body, response)
    demo.note("device signature verified: signed in without an MFA prompt")


def _refusal(
    demo: _Demo,
    pool: UserPool,
    client: UserSRP,
    *,
    what: str,
    reason: str,
    srp_a: str | None = None,
) -> None:
    """A sign-in that must be refused for ``reason``; being accepted fails the demo."""
    from ..endpoint.wire import ServiceError  # noqa: PLC0415 - start-up

    timing = _Timing()
    try:
        body = demo.client(timing, lambda: user_srp_auth_request(client))
        if srp_a is not None:
            body["AuthParameters"]["SRP_A"] = srp_a
        challenge = demo.server(timing, pool, "InitiateAuth", body)
        answer = demo.client(timing, lambda: password_verifier_request(client, challenge))
        demo.server(timing, pool, "RespondToAuthChallenge", answer)
    except ServiceError as exc:
        if exc.detail is None or exc.detail.reason != reason:
            raise
        demo.step(f"{what}: refused", timing)
        first_clause = str(exc.detail).split(" (", 1)[0].split(";", 1)[0]
        demo.note(f"{exc.code} (srpkit: {first_clause})")
        return
    raise _UnexpectedAnswerError(f"{what} was accepted")
