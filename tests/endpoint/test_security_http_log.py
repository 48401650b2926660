"""Issue #18 item 7: ``srpkit serve`` logs escape what clients send and one line per reset."""

from __future__ import annotations

import socket
import struct
import threading
import time
from urllib.parse import urlsplit

import pytest

from srpkit.endpoint.http import serve_in_thread


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def _wait_for(lines: list[str], count: int) -> None:
    # A condition polled, not a duration asserted: the handler thread logs after replying.
    for _ in range(200):
        if len(lines) >= count:
            return
        time.sleep(0.01)


def test_target_escape_sequences_escaped_in_log() -> None:
    """A terminal escape sequence in X-Amz-Target reaches the --verbose log escaped, not raw."""
    lines: list[str] = []
    lock = threading.Lock()

    def log(line: str) -> None:
        with lock:
            lines.append(line)

    with serve_in_thread(log=log) as handle:
        target = "AWSCognitoIdentityProviderService.Evil\x1b]0;pwned\x07\x1b[2J\u202e"
        request = (
            f"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: {target}\r\n"
            "Content-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\n"
            "Connection: close\r\n\r\n{}"
        ).encode("latin-1", "replace")
        with socket.create_connection(_address(handle.url)) as sock:
            sock.sendall(request)
            assert sock.recv(65536).startswith(b"HTTP/1.1 400")
        _wait_for(lines, 1)
    assert lines, "the call was not logged"
    for line in lines:
        assert all(ch.isprintable() for ch in line), repr(line)
    assert any("\\x1b" in line for line in lines)


def test_connection_reset_logs_one_line_no_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    """A client resetting mid-request leaves one log line and no stdlib traceback on stderr."""
    lines: list[str] = []
    with serve_in_thread(log=lines.append) as handle:
        sock = socket.create_connection(_address(handle.url))
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSCognitoIdentityProviderService."
            b"ListUserPools\r\nContent-Length: 1000\r\n\r\n{"
        )
        time.sleep(0.2)  # let the handler start reading the body (not a timing assertion)
        # SO_LINGER 0: close() sends a RST, as a killed client does.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
        _wait_for(lines, 1)
    err = capfd.readouterr().err
    assert "Traceback" not in err, err
    assert len(lines) == 1 and "reset" in lines[0].lower(), lines
