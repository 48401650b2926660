"""Wall time of `srpkit login` against `srpkit serve`, hyperfine-style: repeated runs, min / median / mean.

Run: python benchmarks/cli_startup.py [--runs 10]

Measured, each in a fresh process (time.perf_counter around the whole child):
- `srpkit serve --help` and `srpkit login --help`: start-up and argument parsing only;
- `srpkit serve` until it prints "listening" (then stopped);
- `srpkit login` signing in (USER_SRP_AUTH) against an `srpkit serve` this script runs;
- `srpkit refresh` against the same endpoint.
Then `python -X importtime` of one sign-in: what the import of boto3 / botocore and of srpkit
costs. Nothing here asserts a time; compare numbers within one run of one machine.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

import boto3

from srpkit.endpoint.http import serve_in_thread

PASSWORD = "Bench-pass-1!"
PY = sys.executable


def _env(**extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SRPKIT_")}
    return {**clean, **extra}


def _timed(run: Callable[[], None], runs: int) -> list[float]:
    run()  # warm the page cache and __pycache__
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def _command(argv: Sequence[str], env: dict[str, str]) -> Callable[[], None]:
    def run() -> None:
        subprocess.run([PY, "-m", "srpkit", *argv], env=env, check=True, capture_output=True)

    return run


def _serve_until_listening() -> None:
    child = subprocess.Popen(
        [PY, "-m", "srpkit", "serve", "--port", "0"],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    child.terminate()
    child.wait(timeout=30)
    if "listening" not in line:
        raise RuntimeError(f"srpkit serve did not start: {line!r}")


def _report(name: str, times: list[float]) -> None:
    ms = [t * 1000 for t in times]
    print(
        f"{name:<34} min {min(ms):7.1f} ms   median {statistics.median(ms):7.1f} ms   "
        f"mean {statistics.mean(ms):7.1f} ms ± {statistics.pstdev(ms):5.1f}   ({len(ms)} runs)"
    )


def _import_costs(argv: Sequence[str], env: dict[str, str]) -> None:
    done = subprocess.run(
        [PY, "-X", "importtime", "-m", "srpkit", *argv],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    cumulative: dict[str, int] = {}
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and not match.group(2).strip(" ") and len(match.group(2)) == 1:
            cumulative[match.group(3)] = int(match.group(1))  # top-level imports only
    total = sum(cumulative.values())
    print(f"\nimports of one `srpkit {argv[0]}` (top level, cumulative): {total / 1000:.0f} ms")
    for name, us in sorted(cumulative.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {name:<40} {us / 1000:7.1f} ms")


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    with serve_in_thread() as handle:
        admin = boto3.client(
            "cognito-idp",
            region_name="us-east-1",
            endpoint_url=handle.url,
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        pool_id = admin.create_user_pool(PoolName=f"bench{secrets.token_hex(3)}")["UserPool"]["Id"]
        client_id = admin.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="bench",
            ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        admin.admin_create_user(UserPoolId=pool_id, Username="bench", MessageAction="SUPPRESS")
        admin.admin_set_user_password(
            UserPoolId=pool_id, Username="bench", Password=PASSWORD, Permanent=True
        )
        ids = ["--pool-id", pool_id, "--client-id", client_id, "--username", "bench"]
        ids += ["--endpoint-url", handle.url]
        login_env = _env(SRPKIT_PASSWORD=PASSWORD)
        refresh_token = subprocess.run(
            [PY, "-m", "srpkit", "login", *ids, "--print", "refresh-token"],
            env=login_env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

        print(f"{sys.version.split()[0]} on {sys.platform}, {os.cpu_count()} CPUs\n")
        _report("srpkit serve --help", _timed(_command(["serve", "--help"], _env()), runs))
        _report("srpkit login --help", _timed(_command(["login", "--help"], _env()), runs))
        _report("srpkit serve (until listening)", _timed(_serve_until_listening, runs))
        _report(
            "srpkit login (a whole sign-in)", _timed(_command(["login", *ids], login_env), runs)
        )
        refresh_env = _env(SRPKIT_REFRESH_TOKEN=refresh_token)
        _report("srpkit refresh", _timed(_command(["refresh", *ids], refresh_env), runs))
        _import_costs(["login", *ids], login_env)
        _import_costs(["serve", "--help"], _env())


if __name__ == "__main__":
    main()
