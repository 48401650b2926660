"""What ``srpkit bench`` and benchmarks/ time: srpkit against pycognito and the raw exponentiations.

A workload is one whole operation with fixed inputs (a login computation, a
ConfirmDevice verifier, ...), made by a factory so that setting inputs up is
never timed. Every srpkit workload runs in each arithmetic mode this machine
has: gmpy2, gmpy2 hardened, python. Baselines that are not installed
(pycognito, gmpy2) are skipped, never faked.

Machines are noisy, so only ratios within one run mean anything: ``run`` times
every workload in turn, round after round, and keeps each one's fastest round.
Nothing here asserts a time.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from .._client.device import DeviceSRP, new_device_secret
from .._client.user import UserSRP
from .._core import backend as _arith
from .._core.encoding import b64encode
from .._core.group import K, N
from .._core.secret_hash import secret_hash

__all__ = [
    "MODES",
    "TARGETS",
    "Inputs",
    "Mode",
    "Result",
    "Target",
    "Workload",
    "available_modes",
    "format_time",
    "inputs",
    "machine_lines",
    "report_lines",
    "run",
    "target_lines",
    "using",
    "workload_id",
    "workloads",
]

POOL_ID = "us-east-1_AbCdEf123"
CLIENT_ID = "1example23456789abcdefghij"
CLIENT_SECRET = "example-client-secret-0123456789abcdefghijklmnopqrstuv"  # noqa: S105 - test data
USERNAME = "alice@example.com"
PASSWORD = "correct horse battery staple 1!"  # noqa: S105 - test data
DEVICE_GROUP_KEY = "-example1"
DEVICE_KEY = "us-east-1_0b8f4a5e-8d2e-4d7f-9c1a-3e6f2b7d9a10"
NOW = datetime(2024, 2, 29, 7, 5, 9, tzinfo=timezone.utc)

LOGIN = "login (new UserSRP, auth_parameters, process_challenge)"
DEVICE_LOGIN = "device login (new DeviceSRP, auth_parameters, process_challenge)"
CONFIRM_DEVICE = "ConfirmDevice verifier (new_device_secret)"
SECRET_HASH = "SECRET_HASH"  # noqa: S105 - a group title, not a secret
POW_S = "S = (B - kv)^(a + ux) mod N, one variable-base exponentiation"
POW_GA = "A = g^a mod N, 1024-bit a"
POW_GX = "v = g^x mod N, 256-bit x"
GROUPS = (LOGIN, DEVICE_LOGIN, CONFIRM_DEVICE, SECRET_HASH, POW_S, POW_GA, POW_GX)

PYCOGNITO = "pycognito"
BUILTIN_POW = "built-in pow"
GMPY2_POWMOD = "gmpy2.powmod"
GMPY2_POWMOD_SEC = "gmpy2.powmod_sec"


@dataclass(frozen=True)
class Mode:
    """An arithmetic mode srpkit can run in."""

    backend: str
    hardened: bool

    @property
    def label(self) -> str:
        """``srpkit gmpy2``, ``srpkit gmpy2 hardened`` or ``srpkit python``."""
        return f"srpkit {self.backend}{' hardened' if self.hardened else ''}"


MODES = (Mode("gmpy2", False), Mode("gmpy2", True), Mode("python", False))


def available_modes() -> tuple[Mode, ...]:
    """The modes this machine can run (hardened mode and gmpy2 need gmpy2)."""
    backends = _arith.available_backends()
    return tuple(mode for mode in MODES if mode.backend in backends)


@contextmanager
def using(mode: Mode | None) -> Iterator[None]:
    """Run the block in ``mode`` (``None``: leave the mode alone); restore the previous one after."""
    if mode is None:
        yield
        return
    previous_backend, previous_hardened = _arith.backend(), _arith.hardened()
    _arith.set_hardened(False)
    _arith.set_backend(mode.backend)
    _arith.set_hardened(mode.hardened)
    try:
        yield
    finally:
        _arith.set_hardened(False)
        _arith.set_backend(previous_backend)
        _arith.set_hardened(previous_hardened)


def _value(label: str, nbytes: int) -> int:
    # Fixed, arbitrary-looking inputs: the same in every run, no random generator.
    out = b""
    counter = 0
    while len(out) < nbytes:
        out += hashlib.sha256(f"{label}/{counter}".encode()).digest()
        counter += 1
    return int.from_bytes(out[:nbytes], "big")


@dataclass(frozen=True)
class Inputs:
    """What a server would send, and the raw exponentiation operands a login computes."""

    challenge: dict[str, str]
    device_challenge: dict[str, str]
    device_password: str
    a: int
    x: int
    s_base: int
    s_exp: int


def inputs() -> Inputs:
    """The fixed challenge and operands every workload uses."""
    big_b = _value("B", 384) % N
    salt = format(_value("salt", 16), "x")
    block = b64encode(_value("secret block", 1024).to_bytes(1024, "big"))
    challenge = {
        "SALT": salt,
        "SRP_B": format(big_b, "x"),
        "SECRET_BLOCK": block,
        "USER_ID_FOR_SRP": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "USERNAME": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
    }
    device_challenge = {
        "SALT": salt,
        "SRP_B": format(big_b, "x"),
        "SECRET_BLOCK": block,
        "USERNAME": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "DEVICE_KEY": DEVICE_KEY,
    }
    a = _value("a", 128)
    x = _value("x", 32)
    u = _value("u", 32)
    return Inputs(
        challenge=challenge,
        device_challenge=device_challenge,
        device_password=b64encode(_value("device password", 40).to_bytes(40, "big")),
        a=a,
        x=x,
        s_base=big_b - K * pow(2, x, N),
        s_exp=a + u * x,
    )


@dataclass(frozen=True)
class Workload:
    """One timed operation: ``make()`` sets up and returns the zero-argument callable to time."""

    group: str
    impl: str
    mode: Mode | None
    make: Callable[[], Callable[[], object]]


def _srpkit_workloads(mode: Mode, data: Inputs) -> list[Workload]:
    def login() -> Callable[[], object]:
        def op() -> object:
            user = UserSRP(POOL_ID, CLIENT_ID, USERNAME, PASSWORD)
            user.auth_parameters()
            return user.process_challenge(data.challenge, now=NOW)

        return op

    def g_a() -> Callable[[], object]:
        return lambda: _arith.powmod_g(data.a)

    def g_x() -> Callable[[], object]:
        return lambda: _arith.powmod_g(data.x)

    def s_pow() -> Callable[[], object]:
        return lambda: _arith.powmod(data.s_base, data.s_exp, N)

    def device_login() -> Callable[[], object]:
        def op() -> object:
            srp = DeviceSRP(
                DEVICE_GROUP_KEY,
                DEVICE_KEY,
                data.device_password,
                data.device_challenge["USERNAME"],
                CLIENT_ID,
            )
            srp.auth_parameters()
            return srp.process_challenge(data.device_challenge, now=NOW)

        return op

    return [
        Workload(LOGIN, mode.label, mode, login),
        Workload(DEVICE_LOGIN, mode.label, mode, device_login),
        Workload(
            CONFIRM_DEVICE,
            mode.label,
            mode,
            lambda: lambda: new_device_secret(DEVICE_GROUP_KEY, DEVICE_KEY),
        ),
        Workload(POW_S, mode.label, mode, s_pow),
        Workload(POW_GA, mode.label, mode, g_a),
        Workload(POW_GX, mode.label, mode, g_x),
        Workload(
            SECRET_HASH,
            mode.label,
            mode,
            lambda: lambda: secret_hash(USERNAME, CLIENT_ID, CLIENT_SECRET),
        ),
    ]


def _optional(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


class _NoClient:
    """Stands in for pycognito's boto3 client: the computation never calls it."""


def _pycognito_workloads(data: Inputs) -> list[Workload]:
    aws_srp = _optional("pycognito.aws_srp")
    if aws_srp is None:
        return []
    awssrp = aws_srp.AWSSRP

    def login() -> Callable[[], object]:
        def op() -> object:
            srp = awssrp(
                username=USERNAME,
                password=PASSWORD,
                pool_id=POOL_ID,
                client_id=CLIENT_ID,
                client=_NoClient(),
            )
            return srp.process_challenge(data.challenge, srp.get_auth_params())

        return op

    def device_login() -> Callable[[], object]:
        def op() -> object:
            srp = awssrp(
                username=USERNAME,
                password=PASSWORD,
                pool_id=POOL_ID,
                client_id=CLIENT_ID,
                client=_NoClient(),
                device_key=DEVICE_KEY,
                device_group_key=DEVICE_GROUP_KEY,
                device_password=data.device_password,
            )
            srp.get_auth_params()
            return srp.process_device_challenge(data.device_challenge)

        return op

    generate_hash_device = aws_srp.generate_hash_device
    get_secret_hash = awssrp.get_secret_hash
    return [
        Workload(LOGIN, PYCOGNITO, None, login),
        Workload(DEVICE_LOGIN, PYCOGNITO, None, device_login),
        Workload(
            CONFIRM_DEVICE,
            PYCOGNITO + " generate_hash_device",
            None,
            lambda: lambda: generate_hash_device(DEVICE_GROUP_KEY, DEVICE_KEY),
        ),
        Workload(
            SECRET_HASH,
            PYCOGNITO,
            None,
            lambda: lambda: get_secret_hash(USERNAME, CLIENT_ID, CLIENT_SECRET),
        ),
    ]


def _raw_workloads(data: Inputs) -> list[Workload]:
    found = [
        Workload(POW_S, BUILTIN_POW, None, lambda: lambda: pow(data.s_base, data.s_exp, N)),
        Workload(POW_GA, BUILTIN_POW, None, lambda: lambda: pow(2, data.a, N)),
        Workload(POW_GX, BUILTIN_POW, None, lambda: lambda: pow(2, data.x, N)),
    ]
    gmpy2 = _optional("gmpy2")
    if gmpy2 is None:
        return found
    for name, func in ((GMPY2_POWMOD, gmpy2.powmod), (GMPY2_POWMOD_SEC, gmpy2.powmod_sec)):
        for group, base, exp in (
            (POW_S, data.s_base, data.s_exp),
            (POW_GA, 2, data.a),
            (POW_GX, 2, data.x),
        ):
            found.append(Workload(group, name, None, _call_maker(func, base, exp)))
    return found


def _call_maker(
    func: Callable[[int, int, int], object], base: int, exp: int
) -> Callable[[], Callable[[], object]]:
    return lambda: lambda: func(base, exp, N)


def workloads(
    modes: Sequence[Mode] | None = None, groups: Sequence[str] | None = None
) -> list[Workload]:
    """Every workload this machine can run: srpkit in ``modes`` (default: all available), and
    the baselines; only those of ``groups`` when given."""
    data = inputs()
    found: list[Workload] = []
    for mode in available_modes() if modes is None else modes:
        found.extend(_srpkit_workloads(mode, data))
    found.extend(_pycognito_workloads(data))
    found.extend(_raw_workloads(data))
    return [w for w in found if groups is None or w.group in groups]


_SHORT = {
    LOGIN: "login",
    DEVICE_LOGIN: "device-login",
    CONFIRM_DEVICE: "confirm-device",
    SECRET_HASH: "secret-hash",
    POW_S: "S",
    POW_GA: "g^a",
    POW_GX: "g^x",
}


def workload_id(workload: Workload) -> str:
    """A short name for test ids: the group's and the implementation's, dashed."""
    return f"{_SHORT[workload.group]}-{workload.impl.replace(' ', '-')}"


@dataclass(frozen=True)
class Result:
    """A workload's fastest time per operation over the rounds, in seconds."""

    workload: Workload
    seconds: float
    number: int


def _batch(op: Callable[[], object], number: int) -> float:
    started = time.perf_counter()
    for _ in range(number):
        op()
    return (time.perf_counter() - started) / number


def run(
    selected: Sequence[Workload],
    *,
    rounds: int = 5,
    min_batch: float = 0.1,
    quick: bool = False,
) -> list[Result]:
    """Time each workload ``rounds`` times, interleaved; keep each one's best time per operation.

    A batch repeats the operation until it lasts about ``min_batch`` seconds
    (once, with ``quick``). Each workload runs once untimed first, so one-time
    costs (imports, the fixed-base tables) are not in the figures.
    """
    prepared: list[tuple[Workload, Callable[[], object], int]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pycognito's utcnow() on newer Pythons
        for workload in selected:
            with using(workload.mode):
                op = workload.make()
                op()  # first use: imports, fixed-base tables
                once = _batch(op, 1)
                number = 1 if quick else max(1, min(10_000, round(min_batch / max(once, 1e-7))))
            prepared.append((workload, op, number))
        best = [float("inf")] * len(prepared)
        for _ in range(rounds):
            for index, (workload, op, number) in enumerate(prepared):
                with using(workload.mode):
                    best[index] = min(best[index], _batch(op, number))
    return [
        Result(workload, seconds, number)
        for (workload, _, number), seconds in zip(prepared, best, strict=True)
    ]


@dataclass(frozen=True)
class Target:
    """A goal: ``impl``'s time in ``group`` against the summed time of ``baselines`` ((group, impl) pairs).

    ``minimum`` is a speed-up (baseline time / srpkit time) to reach;
    ``maximum`` a time ratio (srpkit time / baseline time) not to exceed;
    ``floor`` says in words what the baselines add up to.
    """

    group: str
    impl: str
    baselines: tuple[tuple[str, str], ...]
    minimum: float | None = None
    maximum: float | None = None
    floor: str = ""


TARGETS = (
    Target(LOGIN, "srpkit gmpy2", ((LOGIN, PYCOGNITO),), minimum=12.0),
    Target(
        LOGIN, "srpkit gmpy2", ((POW_S, GMPY2_POWMOD),), maximum=1.3, floor="one gmpy2.powmod for S"
    ),
    Target(LOGIN, "srpkit python", ((LOGIN, PYCOGNITO),), minimum=1.7),
    # Hardened mode's floor is its three mpz_powm_sec calls (A, g^x, S): a goal
    # against pycognito would measure the machine's powm_sec, not srpkit.
    Target(
        LOGIN,
        "srpkit gmpy2 hardened",
        ((POW_GA, GMPY2_POWMOD_SEC), (POW_GX, GMPY2_POWMOD_SEC), (POW_S, GMPY2_POWMOD_SEC)),
        maximum=1.1,
        floor="its three gmpy2.powmod_sec calls (A, g^x, S) together",
    ),
    Target(
        CONFIRM_DEVICE,
        "srpkit gmpy2",
        ((CONFIRM_DEVICE, "pycognito generate_hash_device"),),
        minimum=20.0,
    ),
)


def target_lines(results: Sequence[Result]) -> list[str]:
    """Each target of TARGETS with the ratio measured in ``results`` and whether it is met."""
    times = {(r.workload.group, r.workload.impl): r.seconds for r in results}
    lines = []
    for target in TARGETS:
        mine = times.get((target.group, target.impl))
        found = [times.get(pair) for pair in target.baselines]
        if target.minimum is not None:
            goal = f">= {target.minimum:g}x faster than {target.baselines[0][1]}"
        else:
            goal = f"<= {target.maximum:g}x the time of {target.floor}"
        label = f"  {target.group.split(' (')[0]}, {target.impl}: {goal}"
        if mine is None or None in found:
            lines.append(f"{label}: skipped (not measured here)")
            continue
        base = sum(t for t in found if t is not None)
        if target.minimum is not None:
            value = base / mine
            verdict = "met" if value >= target.minimum else "NOT MET"
        else:
            value = mine / base
            verdict = "met" if target.maximum is not None and value <= target.maximum else "NOT MET"
        lines.append(f"{label}: {value:.2f}x  {verdict}")
    return lines


def format_time(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:9.3f} ms"
    return f"{seconds * 1e6:9.1f} us"


def report_lines(results: Sequence[Result]) -> list[str]:
    """The table: per group each implementation's time and speed-up over pycognito; then the targets."""
    times = {(r.workload.group, r.workload.impl): r.seconds for r in results}
    lines: list[str] = []
    for group in GROUPS:
        rows = [r for r in results if r.workload.group == group]
        if not rows:
            continue
        reference = next(
            (r.seconds for r in rows if r.workload.impl.startswith(PYCOGNITO)),
            times.get((group, BUILTIN_POW)),
        )
        ref_name = (
            PYCOGNITO if any(r.workload.impl.startswith(PYCOGNITO) for r in rows) else BUILTIN_POW
        )
        lines.append(group)
        for r in sorted(rows, key=lambda r: r.seconds):
            speedup = f"{reference / r.seconds:7.2f}x vs {ref_name}" if reference else ""
            lines.append(f"  {r.workload.impl:<38} {format_time(r.seconds)}  {speedup}")
        lines.append("")
    lines.append("Targets")
    lines.extend(target_lines(results))
    return lines


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(distribution: str) -> str:
    from importlib.metadata import version  # noqa: PLC0415 - slow import, bench only

    try:
        return version(distribution)
    except Exception:  # any failure means "not installed" here
        return "not installed"


def machine_lines() -> list[str]:
    """Where the numbers come from: CPU, cores, Python, library versions, fixed-base tables."""
    gmpy2 = _optional("gmpy2")
    gmp = f" (GMP {gmpy2.mp_version().split()[-1]})" if gmpy2 is not None else ""
    lines = [
        f"CPU: {_cpu_model()}, {os.cpu_count()} logical cores (os.cpu_count)",
        f"Python: {platform.python_implementation()} {platform.python_version()} on {sys.platform}",
        f"gmpy2: {_version('gmpy2')}{gmp}; pycognito: {_version('pycognito')}",
    ]
    for name in _arith.available_backends():
        stats = _arith.fixed_base_stats(name)
        lines.append(
            f"fixed-base tables ({name}): {stats.entries} numbers, "
            f"{stats.nbytes / 2**20:.2f} MiB, first use built them in {stats.build_seconds * 1e3:.0f} ms"
        )
    return lines
