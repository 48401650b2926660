"""``srpkit serve``'s HTTP side: Cognito's JSON 1.1 protocol on the standard library's threading server.

POST / with ``X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>``
and a JSON body is answered by ``CognitoService``: 200 and the JSON response,
or 400 with ``{"__type": code, "message": ...}`` and ``x-amzn-ErrorType``, as
AWS shapes errors (so botocore raises ``client.exceptions.<code>``). GET
``/<pool_id>/.well-known/jwks.json`` (and ``openid-configuration``) publish
each pool's token key. Bodies over 1 MiB are refused with 413 before they are read.

``serve_in_thread`` runs it in-process (tests); ``srpkit serve`` runs it as a program.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import sys
import threading
import traceback
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from os import PathLike
from typing import Any

from .._core.jsonio import JSONTextError, load_json
from .service import CognitoService, ServiceError
from .state import MemoryStore, SQLiteStore, Store

__all__ = ["MAX_BODY_BYTES", "ServeHandle", "make_server", "serve_in_thread"]

MAX_BODY_BYTES = 1 << 20
_MAX_DRAIN_BYTES = 16 << 20
_TARGET_PREFIX = "AWSCognitoIdentityProviderService."
_CONTENT_TYPE = "application/x-amz-json-1.1"
_WELL_KNOWN_RE = re.compile(
    r"/([A-Za-z0-9-]+_[0-9A-Za-z]+)/\.well-known/(jwks\.json|openid-configuration)"
)
# The region botocore signs for (SigV4 credential scope): it names new pools' region.
_REGION_RE = re.compile(r"Credential=[^/,\s]*/[0-9]{8}/([a-z0-9-]{1,32})/cognito-idp/aws4_request")
_STEP_RE = re.compile(r"[A-Z_]{1,40}")
# ASCII digits only: str.isdigit() also admits '²' and other digits int() refuses.
_LENGTH_RE = re.compile(r"[0-9]{1,12}")
# How long a connection may sit idle or a client take to send a request.
_SOCKET_TIMEOUT = 30.0

Log = Callable[[str], None]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], service: CognitoService, log: Log | None) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.service = service
        self.log = log
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), self.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}"

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """One line for a request that failed outside the handler's answer, never a traceback."""
        # The stdlib prints a traceback to stderr; a client resetting its
        # connection is routine, and a traceback's locals could show a request.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            line = f"connection from {client_address[0]}: {type(exc).__name__} (client went away)"
            if self.log is not None:
                self.log(_printable(line))
            return
        line = f"connection from {client_address[0]}: {type(exc).__name__}"
        if self.log is None:
            print(f"srpkit serve: {_printable(line)}", file=sys.stderr)
        else:
            self.log(_printable(line))

    def close_connections(self) -> None:
        """End kept-alive connections, so no handler thread outlives the server."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: botocore and fetch reuse connections
    server_version = "srpkit-serve"
    sys_version = ""
    timeout = _SOCKET_TIMEOUT
    # Each response leaves in one write (buffered, flushed once the request is
    # answered), with TCP_NODELAY: headers and body as two small writes met
    # Nagle's algorithm and the client's delayed ACK, ~40 ms per kept-alive request.
    wbufsize = 1 << 16
    server: _Server

    def setup(self) -> None:
        super().setup()
        with contextlib.suppress(OSError):  # not every socket is TCP
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request log line (--verbose logs a safer one)."""

    def _send(self, status: int, body: dict[str, Any], error: str | None = None) -> None:
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", _CONTENT_TYPE)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if error is not None:
            self.send_header("x-amzn-ErrorType", error)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _error(self, status: int, code: str, message: str) -> None:
        self._send(status, {"__type": code, "message": message}, code)

    def _log(self, text: str) -> None:
        if self.server.log is not None:
            self.server.log(_printable(text))

    def _body_length(self, *, sent: bool = True) -> int | None:
        """Content-Length if acceptable; otherwise answer the error and return None.

        ``sent``: the client is sending the body now (it did not wait for 100-continue).
        """
        text = self.headers.get("Content-Length")
        if text is None:
            self.close_connection = True
            self._error(411, "SerializationException", "Content-Length is required")
            return None
        length = _content_length(text)
        if length is None:
            self.close_connection = True
            self._error(400, "SerializationException", "Content-Length is not a number")
            return None
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            self._error(
                413,
                "RequestEntityTooLargeException",
                f"Request body larger than {MAX_BODY_BYTES} bytes",
            )
            if sent and length <= _MAX_DRAIN_BYTES:
                # Read (and drop) what the client is sending, so that it gets to read the
                # 413 instead of a broken pipe; beyond the bound the connection just closes.
                self.wfile.flush()
                with contextlib.suppress(OSError):
                    while length > 0:
                        chunk = self.rfile.read(min(length, 1 << 16))
                        if not chunk:
                            break
                        length -= len(chunk)
            return None
        return length

    def handle_expect_100(self) -> bool:
        # Refuse an oversized body before the client sends it.
        length = _content_length(self.headers.get("Content-Length", ""))
        if length is not None and length > MAX_BODY_BYTES:
            self._body_length(sent=False)
            return False
        answered = super().handle_expect_100()
        self.wfile.flush()  # the client waits for the 100 before it sends the body
        return answered

    def do_POST(self) -> None:
        """One API call."""
        length = self._body_length()
        if length is None:
            return
        body = self.rfile.read(length)
        target = self.headers.get("X-Amz-Target", "")
        operation = target[len(_TARGET_PREFIX) :] if target.startswith(_TARGET_PREFIX) else ""
        if not operation:
            self._error(400, "UnknownOperationException", "X-Amz-Target names no operation")
            return
        try:
            request = load_json(body or b"{}")
        except JSONTextError:
            request = None
        if not isinstance(request, dict):
            self._error(400, "SerializationException", "The body is not a JSON object")
            return
        what = _call_name(operation, request)
        match = _REGION_RE.search(self.headers.get("Authorization", ""))
        try:
            response = self.server.service.handle(
                operation, request, region=match.group(1) if match else None
            )
        except ServiceError as exc:
            detail = exc.detail
            reason = "" if detail is None else f" [{detail.reason}: {detail}]"
            self._log(f"{what} 400 {exc.code}{reason}")
            self._error(400, exc.code, exc.message)
            return
        except Exception as exc:
            # Only the exception's type and where it was raised: its message or the
            # request could hold a password.
            where = traceback.extract_tb(exc.__traceback__)[-1]
            line = f"{what} 500 {type(exc).__name__} at {where.filename}:{where.lineno}"
            # A bug: reported even without --verbose.
            if self.server.log is None:
                print(f"srpkit serve: {_printable(line)}", file=sys.stderr)
            self._log(line)
            self._error(500, "InternalErrorException", "Internal error in srpkit serve")
            return
        self._log(f"{what} 200")
        self._send(200, response)

    def do_GET(self) -> None:
        """A pool's JWKS or OpenID configuration, or a short description at /."""
        path = self.path.split("?", 1)[0]
        if path == "/":
            self._send(200, {"service": "srpkit serve", "protocol": "AWS JSON 1.1 (cognito-idp)"})
            return
        match = _WELL_KNOWN_RE.fullmatch(path)
        jwks = self.server.service.jwks(match.group(1)) if match else None
        if match is None or jwks is None:
            self._error(404, "ResourceNotFoundException", "Not found")
            return
        if match.group(2) == "jwks.json":
            self._send(200, jwks)
            return
        # The issuer may be Cognito's own URL (``srpkit serve --issuer aws``), but the keys
        # are ours: a client that follows jwks_uri must fetch them here, not from AWS.
        issuer = self.server.service.issuer(match.group(1))
        self._send(
            200,
            {
                "issuer": issuer,
                "jwks_uri": f"{self.server.url}/{match.group(1)}/.well-known/jwks.json",
                "id_token_signing_alg_values_supported": ["RS256"],
                "subject_types_supported": ["public"],
                "response_types_supported": ["code", "token"],
            },
        )

    do_HEAD = do_GET  # noqa: N815 - the base class's naming


def _printable(text: str) -> str:
    """``text`` with every non-printable character escaped as ``\\x1b``, ``\\u202e``."""
    # Log lines carry what clients sent (X-Amz-Target): a terminal must not run them.
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def _content_length(text: str) -> int | None:
    """The value of a Content-Length header, or None if it is not a plain decimal number."""
    return int(text) if _LENGTH_RE.fullmatch(text) else None


def _call_name(operation: str, request: dict[str, Any]) -> str:
    """The operation and, for a sign-in call, its flow or challenge (names only: safe to log)."""
    step = request.get("ChallengeName", request.get("AuthFlow"))
    name = operation[:64]
    if isinstance(step, str) and _STEP_RE.fullmatch(step):
        name += f":{step}"
    return name


def make_server(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    state: str | PathLike[str] | None = None,
    region: str = "us-east-1",
    log: Log | None = None,
) -> _Server:
    """A bound (not yet serving) server; its service keeps state in ``state`` (SQLite) if given.

    ``log`` receives one line per request (operation, status, error code and
    srpkit's reason for a refusal), never a body, header or secret.
    """
    store: Store = SQLiteStore(state) if state is not None else MemoryStore()
    service = CognitoService(store, region=region)
    try:
        server = _Server((host, port), service, log)
    except BaseException:
        service.close()
        raise
    service.issuer_base = server.url
    return server


def close_server(server: _Server) -> None:
    """Stop accepting, end open connections, release the state file."""
    server.server_close()
    server.close_connections()
    server.service.close()


class ServeHandle:
    """A server running in a background thread: ``.url``, ``.service``, ``.close()``."""

    def __init__(self, server: _Server) -> None:
        self._server = server
        self.url = server.url
        self.service = server.service
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()

    def __repr__(self) -> str:
        return f"ServeHandle(url={self.url!r})"

    def close(self) -> None:
        """Stop the server and wait for its thread."""
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join()
            close_server(self._server)

    def __enter__(self) -> ServeHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve_in_thread(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    state: str | PathLike[str] | None = None,
    region: str = "us-east-1",
    log: Log | None = None,
) -> ServeHandle:
    """Run ``srpkit serve`` in this process (port 0: any free port); close the handle to stop it."""
    return ServeHandle(make_server(host, port, state=state, region=region, log=log))
