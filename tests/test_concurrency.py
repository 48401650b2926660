"""Threads racing through shared state: exactly the single-threaded results, lazy tables built once.

Sixteen threads released together by a barrier run mixed flows (user
sign-ins, device sign-ins, ConfirmDevice verifiers, server-side
verification) on freshly reset fixed-base tables, so the first uses of both
tables race. Every flow's every output must equal a single-threaded run's, and
each table must have been built exactly once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

import pytest

from srpkit import DeviceSRP, UserSRP, new_device_secret
from srpkit._core import backend as _arith
from srpkit.server import DeviceServerSRP, ServerSRP, make_verifier

# Every test here runs SRP arithmetic: under both backends.
pytestmark = pytest.mark.usefixtures("srp_backend")

THREADS = 16
POOL = "ap-northeast-1_RaCe42"
CLIENT = "raceclient0123456789abcdef"
NOW = datetime(2024, 2, 29, 23, 59, 59, tzinfo=timezone.utc)


def ephemeral(seed: int) -> int:
    """A fixed 1024-bit private ephemeral per seed (so the long table is used)."""
    return (1 << 1023) | (0x9E3779B97F4A7C15 * (seed + 1)) << 512 | (seed * 7919 + 1)


def user_flow(i: int) -> tuple[Any, ...]:
    """Verifier, USER_SRP_AUTH, PASSWORD_VERIFIER, server check (with SECRET_HASH): every output."""
    user, password, secret = f"user-{i}", f"pa55word-{i}!", f"secret-{i}"
    salt, verifier = make_verifier(POOL, user, password, salt=format(0xA5A5 + i, "x"))
    client = UserSRP(POOL, CLIENT, user, password, client_secret=secret, small_a=ephemeral(i))
    server = ServerSRP(
        POOL,
        user,
        salt,
        verifier,
        small_b=ephemeral(100 + i),
        secret_block=bytes([i]) * 48,
        client_id=CLIENT,
        client_secret=secret,
    )
    auth = client.auth_parameters()
    params = server.start(auth)
    responses = client.process_challenge(params, now=NOW)
    server.verify(responses, now=NOW)
    return ("user", verifier, auth, params, responses, server.verified)


def device_key(i: int) -> str:
    """A device key per thread."""
    return f"ap-northeast-1_{i:08x}-1111-4222-8333-444455556666"


def device_flow(i: int) -> tuple[Any, ...]:
    """ConfirmDevice verifier, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER, server check."""
    group = f"-group{i}"
    device = new_device_secret(
        group, device_key(i), password=bytes([i]) * 40, salt=bytes([0x80 | i]) * 16
    )
    client = DeviceSRP(
        group, device_key(i), device.password, f"user-{i}", CLIENT, small_a=ephemeral(200 + i)
    )
    server = DeviceServerSRP(
        f"user-{i}",
        group,
        device_key(i),
        device.verifier_config,
        small_b=ephemeral(300 + i),
        secret_block=bytes([255 - i]) * 32,
    )
    params = server.start(client.auth_parameters())
    responses = client.process_challenge(params, now=NOW)
    server.verify(responses, now=NOW)
    return ("device", device.verifier_config, params, responses, server.verified)


def confirm_flow(i: int) -> tuple[Any, ...]:
    """Only verifiers: three ConfirmDevice configs and a user verifier (x through the short table)."""
    configs = [
        new_device_secret(
            f"-g{i}-{k}", device_key(i), password=bytes([k, i]) * 20, salt=bytes([k]) * 16
        ).verifier_config
        for k in range(3)
    ]
    return ("confirm", configs, make_verifier(POOL, f"user-{i}", "pw", salt=format(i + 1, "x")))


@pytest.fixture(scope="module")
def answers() -> dict[int, tuple[str, dict[str, str], dict[str, str]]]:
    """Per thread: (salt, verifier) and a client's answer, computed ahead for the server-only flows."""
    out = {}
    for i in range(THREADS):
        user, password = f"server-{i}", f"pw-{i}"
        salt, verifier = make_verifier(POOL, user, password, salt=format(0xBEEF + i, "x"))
        client = UserSRP(POOL, CLIENT, user, password, small_a=ephemeral(400 + i))
        server = ServerSRP(
            POOL, user, salt, verifier, small_b=ephemeral(500 + i), secret_block=b"s" * 16
        )
        auth = client.auth_parameters()
        responses = client.process_challenge(server.start(auth), now=NOW)
        out[i] = (f"{salt}:{verifier}", auth, responses)
    return out


def server_flow_for(
    answers: dict[int, tuple[str, dict[str, str], dict[str, str]]],
) -> Callable[[int], tuple[Any, ...]]:
    """The server-only flow: issue the challenge and check a precomputed answer, right and wrong."""

    def flow(i: int) -> tuple[Any, ...]:
        stored, auth, responses = answers[i]
        salt, verifier = stored.split(":")

        def server() -> ServerSRP:
            return ServerSRP(
                POOL,
                f"server-{i}",
                salt,
                verifier,
                small_b=ephemeral(500 + i),
                secret_block=b"s" * 16,
            )

        right, wrong = server(), server()
        params = right.start(auth)
        right.verify(responses, now=NOW)
        wrong.start(auth)
        forged = {
            **responses,
            "PASSWORD_CLAIM_SIGNATURE": responses["PASSWORD_CLAIM_SIGNATURE"][::-1],
        }
        refusal = "accepted"
        try:
            wrong.verify(forged, now=NOW)
        except Exception as exc:  # the refusal itself is the output compared
            refusal = f"{type(exc).__name__}: {exc}"
        return ("server", params, right.verified, wrong.verified, refusal)

    return flow


def flows(
    answers: dict[int, tuple[str, dict[str, str], dict[str, str]]],
) -> list[Callable[[int], tuple[Any, ...]]]:
    """Thread i runs flow i % 4."""
    return [user_flow, device_flow, confirm_flow, server_flow_for(answers)]


def race(work: Callable[[int], tuple[Any, ...]]) -> dict[int, Any]:
    """Run ``work(i)`` in THREADS threads released at once; each thread's result or exception."""
    barrier = threading.Barrier(THREADS)
    results: dict[int, Any] = {}

    def run(i: int) -> None:
        barrier.wait(timeout=120)
        try:
            results[i] = work(i)
        except BaseException as exc:  # reported by the comparison, with the thread's index
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,), name=f"race-{i}") for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


@contextmanager
def hardened_mode() -> Iterator[None]:
    """Hardened mode for the block, restored after."""
    _arith.set_hardened(True)
    try:
        yield
    finally:
        _arith.set_hardened(False)


def test_mixed_flows_race_to_single_threaded_results(
    srp_backend: str, answers: dict[int, tuple[str, dict[str, str], dict[str, str]]]
) -> None:
    """16 threads on freshly reset tables give exactly the single-threaded outputs; each table is built once."""
    kinds = flows(answers)

    def work(i: int) -> tuple[Any, ...]:
        return kinds[i % len(kinds)](i)

    expected = {i: work(i) for i in range(THREADS)}
    assert all(
        result[0] != "server" or result[2:4] == (True, False) for result in expected.values()
    )
    for _ in range(2):
        _arith._reset_tables()
        assert _arith.fixed_base_stats(srp_backend).builds == 0
        got = race(work)
        assert got == expected
        assert _arith.fixed_base_stats(srp_backend).builds == 2  # the short and the long table


def test_hardened_mode_races_to_the_same_results(
    srp_backend: str, answers: dict[int, tuple[str, dict[str, str], dict[str, str]]]
) -> None:
    """In hardened mode the same 16 racing flows give the same outputs and build no table."""
    if srp_backend != "gmpy2":
        pytest.skip("hardened mode needs gmpy2")
    kinds = flows(answers)

    def work(i: int) -> tuple[Any, ...]:
        return kinds[i % len(kinds)](i)

    expected = {i: work(i) for i in range(THREADS)}
    _arith._reset_tables()
    with hardened_mode():
        got = race(work)
    assert got == expected
    assert _arith.fixed_base_stats(srp_backend).builds == 0
