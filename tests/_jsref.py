"""A client for vectors/tools/jsref.mjs, the oracle over the official JavaScript Cognito clients.

``JSRef`` keeps one long-lived ``node jsref.mjs`` process per library
(amazon-cognito-identity-js and @aws-amplify/auth) and speaks its JSON-lines
protocol (vectors/tools/README.md); ``both()`` asks the two libraries at once,
so they work in parallel. ``require_node()`` skips a test when node or the
pinned packages are missing, except in CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from collections import deque
from typing import Any

import pytest
from paths import REPO

ROOT = REPO
TOOLS = ROOT / "vectors" / "tools"
SCRIPT = TOOLS / "jsref.mjs"
IMPLS = ("identity-js", "amplify")
# jsref gives up on a request after 20 s; this only catches a wedged process.
TIMEOUT = 60.0


class JSRefError(RuntimeError):
    """The harness process died, hung, or answered out of order."""


# The official clients the interop tests drive, as vectors/tools installs them.
PACKAGES = {
    "identity-js": TOOLS / "node_modules" / "amazon-cognito-identity-js",
    "amplify": TOOLS / "node_modules" / "@aws-amplify" / "auth",
}


def require_node(client: str | None = None) -> str:
    """The node binary; skip when node or the JS clients (or ``client``) are missing, but fail in CI."""
    node = shutil.which("node")
    needed = TOOLS / "node_modules" if client is None else PACKAGES[client]
    if node and needed.is_dir():
        return node
    message = f"node or {needed.relative_to(ROOT)} is missing (run: npm ci --prefix vectors/tools)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must run the tests against the official JavaScript clients")
    pytest.skip(message)


class _Process:
    """One ``node jsref.mjs`` process: requests go in as lines, answers come back in order."""

    def __init__(self, node: str) -> None:
        self._proc = subprocess.Popen(
            [node, str(SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: deque[str] = deque(maxlen=40)
        self._next_id = 1
        threading.Thread(target=self._pump_stdout, daemon=True).start()
        threading.Thread(target=self._pump_stderr, daemon=True).start()

    def _pump_stdout(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _pump_stderr(self) -> None:
        assert self._proc.stderr is not None
        for line in self._proc.stderr:
            self._stderr.append(line.rstrip("\n"))

    def send(self, request: dict[str, Any]) -> int:
        """Send one request; return its id."""
        request_id = self._next_id
        self._next_id += 1
        # ensure_ascii: the line stays free of U+2028 and friends whatever the input
        line = json.dumps({"id": request_id, **request}, ensure_ascii=True)
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(line + "\n")
            self._proc.stdin.flush()
        except OSError as exc:
            raise JSRefError(f"jsref is gone ({exc}); stderr: {self.stderr()}") from None
        return request_id

    def receive(self, request_id: int) -> dict[str, Any]:
        """The answer to ``request_id`` (answers come back in the order of the requests)."""
        try:
            line = self._lines.get(timeout=TIMEOUT)
        except queue.Empty:
            raise JSRefError(
                f"jsref did not answer within {TIMEOUT} s; stderr: {self.stderr()}"
            ) from None
        if line is None:
            raise JSRefError(f"jsref exited ({self._proc.poll()}); stderr: {self.stderr()}")
        answer: dict[str, Any] = json.loads(line)
        if answer.get("id") != request_id:
            raise JSRefError(f"jsref answered {answer.get('id')!r}, expected {request_id}")
        return answer

    def stderr(self) -> str:
        return " | ".join(self._stderr)

    def close(self) -> None:
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


class JSRef:
    """The official JavaScript clients, one jsref process per library."""

    def __init__(self, node: str) -> None:
        self._procs: dict[str, _Process] = {}
        try:
            for impl in IMPLS:
                self._procs[impl] = _Process(node)
        except BaseException:
            self.close()
            raise

    def call(self, impl: str, op: str, **fields: Any) -> dict[str, Any]:
        """One request to one library; the answer (an ``error`` key when the library refused)."""
        proc = self._procs[impl]
        return proc.receive(proc.send({"op": op, "impl": impl, **fields}))

    def both(self, op: str, **fields: Any) -> dict[str, dict[str, Any]]:
        """The same request to both libraries at once; their answers by library."""
        sent = {
            impl: proc.send({"op": op, "impl": impl, **fields})
            for impl, proc in self._procs.items()
        }
        return {impl: self._procs[impl].receive(request_id) for impl, request_id in sent.items()}

    def versions(self) -> dict[str, Any]:
        """The library and node versions the harness runs."""
        return self.call(IMPLS[0], "versions")

    def close(self) -> None:
        """Stop the processes (stdin closed: they finish and exit)."""
        for proc in self._procs.values():
            proc.close()
        self._procs.clear()

    def __enter__(self) -> JSRef:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
