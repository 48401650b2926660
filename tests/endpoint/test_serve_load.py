"""`srpkit serve` as a program under load on loopback: concurrent boto3 logins, then a restart with --state.

The 200-login run is for the gmpy2 backend; under the pure-Python backend (about
ten times slower) the same test runs 40 logins, so the suite stays quick. The
server subprocess uses the same backend as the test (SRPKIT_BACKEND).
"""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import statistics
import subprocess
import sys
import threading
import time
from base64 import urlsafe_b64decode
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import jwt
import pytest
from serve_support import PASSWORD, add_user, boto_client, make_pool

from srpkit.aws import AuthResult, authenticate

# Every test here runs SRP arithmetic: under both backends.
pytestmark = pytest.mark.usefixtures("srp_backend")

THREADS = 8
USERS = 16
LOGINS = {"gmpy2": 200, "python": 40}
START_TIMEOUT = 30.0
RUN_TIMEOUT = 300.0  # the whole load phase; each request also has boto3's own timeouts


def start_serve(state: Path, backend: str) -> tuple[subprocess.Popen[str], str]:
    """Start `python -m srpkit serve --port 0 --state FILE`; the process and the URL it printed."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "srpkit", "serve", "--port", "0", "--state", str(state)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "SRPKIT_BACKEND": backend},
    )
    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=START_TIMEOUT):
            proc.kill()
            pytest.fail("srpkit serve printed no URL in time")
    line = proc.stdout.readline()
    match = re.search(r"listening on (http://127\.0\.0\.1:[0-9]+) ", line)
    if match is None:
        proc.kill()
        pytest.fail(f"unexpected first line from srpkit serve: {line!r} {proc.communicate()[1]!r}")
    return proc, match.group(1)


def stop_serve(proc: subprocess.Popen[str]) -> str:
    """SIGTERM, as a service manager would stop it; it must exit 0. Returns its stderr."""
    proc.send_signal(signal.SIGTERM)
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        pytest.fail("srpkit serve did not stop on SIGTERM")
    assert proc.returncode == 0, err
    return err


def unverified(token: str) -> dict[str, Any]:
    """A JWT's claims, unchecked (the JWKS check is done separately)."""
    payload = token.split(".")[1]
    return dict(json.loads(urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


def test_concurrent_logins_then_restart_keeps_every_user(
    tmp_path: Path, srp_backend: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Logins from 8 threads all succeed (none lost); after a restart with --state every user still signs in."""
    state = tmp_path / "serve.db"
    logins = LOGINS[srp_backend]
    names = [f"user{i:02d}" for i in range(USERS)]
    proc, url = start_serve(state, srp_backend)
    try:
        admin = boto_client(url)
        pool_id, client_id, client_secret = make_pool(admin, secret=True)
        for i, name in enumerate(names):
            add_user(admin, pool_id, name, f"{PASSWORD}{i}")
        clients = [
            boto_client(url) for _ in range(THREADS)
        ]  # made here: boto3 sessions aren't thread-safe
        results: list[tuple[str, AuthResult, float]] = []
        lock = threading.Lock()

        def worker(thread: int) -> None:
            for k in range(thread, logins, THREADS):
                i = k % USERS
                start = time.perf_counter()
                result = authenticate(
                    clients[thread],
                    pool_id=pool_id,
                    client_id=client_id,
                    client_secret=client_secret,
                    username=names[i],
                    password=f"{PASSWORD}{i}",
                )
                with lock:
                    results.append((names[i], result, time.perf_counter() - start))

        began = time.perf_counter()
        with ThreadPoolExecutor(THREADS) as pool:
            futures = [pool.submit(worker, t) for t in range(THREADS)]
            _, pending = wait(futures, timeout=RUN_TIMEOUT)
            assert not pending, "the load run did not finish in time"
            for future in futures:
                future.result()  # re-raises a worker's failure
        elapsed = time.perf_counter() - began
    finally:
        stop_serve(proc)

    assert len(results) == logins
    tokens = [r.authentication_result or {} for _, r, _ in results]
    assert all("AccessToken" in t for t in tokens)  # every login signed in
    access = [unverified(t["AccessToken"]) for t in tokens]
    assert len({c["jti"] for c in access}) == logins  # every login got its own tokens
    assert {c["username"] for c in access} == set(names)
    latencies = [seconds * 1000 for _, _, seconds in results]
    cuts = statistics.quantiles(latencies, n=20)
    with capsys.disabled():  # the numbers are for the reader of the test run
        print(
            f"\nsrpkit serve load [{srp_backend}]: {logins} logins, {THREADS} threads, "
            f"{elapsed:.1f} s ({logins / elapsed:.0f}/s); latency p50 {cuts[9]:.0f} ms, "
            f"p95 {cuts[18]:.0f} ms",
        )

    proc, url = start_serve(state, srp_backend)
    try:
        client = boto_client(url)
        for i, name in enumerate(names):
            again = authenticate(
                client,
                pool_id=pool_id,
                client_id=client_id,
                client_secret=client_secret,
                username=name,
                password=f"{PASSWORD}{i}",
            )
            assert again.signed_in, name
        # The signing key survived too: a token from before the restart verifies on the new JWKS.
        keys = jwt.PyJWKClient(f"{url}/{pool_id}/.well-known/jwks.json")
        old = tokens[0]["AccessToken"]
        key = keys.get_signing_key_from_jwt(old).key
        assert jwt.decode(old, key, algorithms=["RS256"])["jti"] == access[0]["jti"]
    finally:
        err = stop_serve(proc)
    assert "stopped" in err
