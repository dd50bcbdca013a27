"""A lean WSGI server with HTTP/1.1 keep-alive, for the emulator's API (issue 15).

werkzeug's development server closes every connection after one answer ("Connection: close"), so each
boto3 call paid a TCP handshake, a new server thread and that thread's sqlite connection, and it writes
the headers and the body as two small segments. The profile put the server at about half of the
emulator's time. This one is ``http.server.ThreadingHTTPServer`` with a WSGI bridge: a thread per
connection that stays open between requests, one write per answer, no Nagle delay.

Bodies: ``wsgi.input`` yields exactly the request's body (``Content-Length``, or de-chunked
``Transfer-Encoding: chunked``, with ``wsgi.input_terminated``), never the next request. A request
whose body the application did not read to the end (a 403 before the body, a 413: docs/emulator.md,
"Limits") is answered and its connection closed, so an unread body is never read to skip it.
"""

from __future__ import annotations

import contextlib
import io
import logging
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

__all__ = ["KeepAliveServer"]

_LOG = logging.getLogger("c2c.serving")
_NO_BODY = {204, 304}
_MAX_HEADERS = 100


class _Body(io.RawIOBase):
    """The request body, read from the connection: ``length`` bytes, or chunked until the last chunk."""

    def __init__(self, rfile: Any, length: int | None) -> None:
        self._rfile = rfile
        self._left = length if length is not None else 0
        self._chunked = length is None
        self.done = length == 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.done:
            return 0
        if self._chunked and self._left == 0:
            line = self._rfile.readline(1024)
            size = int(line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self._rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                self.done = True
                return 0
            self._left = size
        data = self._rfile.read(min(len(buffer), self._left))
        if not data:
            raise ConnectionError("the client closed the connection inside the body")
        buffer[: len(data)] = data
        self._left -= len(data)
        if self._left == 0:
            if self._chunked:
                self._rfile.readline(3)  # the CRLF after a chunk
            else:
                self.done = True
        return len(data)


class _RequestHeaders:
    """The request's header lines, in order; :meth:`get` by name in any case (the first of a name)."""

    def __init__(self) -> None:
        self._items: list[tuple[str, str]] = []
        self._first: dict[str, str] = {}

    def add(self, name: str, value: str) -> None:
        self._items.append((name, value))
        self._first.setdefault(name.lower(), value)

    def get(self, name: str, default: Any = None) -> Any:
        return self._first.get(name.lower(), default)

    def items(self) -> list[tuple[str, str]]:
        return self._items


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = -1  # buffered: one write per answer (flushed below)
    timeout = 300  # an idle keep-alive connection is closed after this many seconds
    server: KeepAliveServer

    def handle_one_request(self) -> None:
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if not self.raw_requestline or len(self.raw_requestline) > 65536:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            self._run()
            self.wfile.flush()
        except (OSError, ValueError):  # client gone, timeout, a malformed chunk
            self.close_connection = True

    def parse_request(self) -> bool:
        """The request line and headers (``http.server``'s rules, without the e-mail parser it uses)."""
        self.command, self.request_version = "", "HTTP/1.0"
        self.requestline = line = self.raw_requestline.decode("iso-8859-1").rstrip("\r\n")
        parts = line.split()
        if len(parts) != 3 or parts[2] not in ("HTTP/1.0", "HTTP/1.1"):
            self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request line {line!r}")
            return False
        self.command, self.path, self.request_version = parts
        if self.path.startswith("//"):  # as http.server does (gh-87389)
            self.path = "/" + self.path.lstrip("/")
        self.close_connection = self.request_version < "HTTP/1.1"
        headers = _RequestHeaders()
        for _ in range(_MAX_HEADERS + 1):
            raw = self.rfile.readline(65537)
            if raw in (b"\r\n", b"\n", b""):
                break
            name, colon, value = raw.decode("iso-8859-1").partition(":")
            if len(raw) > 65536 or not colon or not name.strip():
                self.send_error(HTTPStatus.BAD_REQUEST, "Bad header line")
                return False
            headers.add(name.strip(), value.strip())
        else:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Too many headers")
            return False
        self.headers = headers  # type: ignore[assignment]
        connection = str(headers.get("Connection", "")).lower()
        if connection == "close":
            self.close_connection = True
        elif connection == "keep-alive":
            self.close_connection = False
        if str(headers.get("Expect", "")).lower() == "100-continue" and self.request_version == "HTTP/1.1":
            return self.handle_expect_100()
        return True

    def handle_expect_100(self) -> bool:
        """Send ``100 Continue`` at once (the writer is buffered), then read the body."""
        super().handle_expect_100()
        self.wfile.flush()
        return True

    def _environ(self, body: _Body) -> dict[str, Any]:
        path, _, query = self.path.partition("?")
        host, port = self.server.server_address[:2]
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(path, "latin-1"),
            "QUERY_STRING": query,
            "RAW_URI": self.path,
            "REQUEST_URI": self.path,
            "SERVER_NAME": str(host),
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": self.request_version,
            "REMOTE_ADDR": self.client_address[0],
            "REMOTE_PORT": str(self.client_address[1]),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BufferedReader(body),
            "wsgi.input_terminated": True,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in self.headers.items():
            key = name.upper().replace("-", "_")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                environ[key] = value
                continue
            key = "HTTP_" + key
            environ[key] = f"{environ[key]},{value}" if key in environ else value
        return environ

    def _run(self) -> None:
        chunked = "chunked" in (self.headers.get("Transfer-Encoding") or "").lower()
        length = self.headers.get("Content-Length")
        body = _Body(self.rfile, None if chunked else int(length or 0))
        sent: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:  # noqa: ARG001
            sent[:] = [status, headers]
            return lambda data: None  # noqa: ARG005 (the legacy write() callable: c2c's apps return bodies)

        try:
            result = self.server.app(self._environ(body), start_response)
            try:
                payload = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        except Exception:
            _LOG.exception("error in the WSGI application for %s %s", self.command, self.path)
            sent[:] = ["500 Internal Server Error", [("Content-Type", "text/plain")]]
            payload, self.close_connection = b"internal server error", True
        if not body.done:  # never read an unread body to skip it: answer and close
            self.close_connection = True
        self._write(sent[0], sent[1], payload)

    def _write(self, status: str, headers: list[tuple[str, str]], payload: bytes) -> None:
        code = int(status.split(" ", 1)[0])
        lines = [f"HTTP/1.1 {status}"]
        has_length = False
        for name, value in headers:
            lname = name.lower()
            if lname == "connection":
                self.close_connection = self.close_connection or value.lower() == "close"
                continue
            has_length = has_length or lname == "content-length"
            lines.append(f"{name}: {value}")
        if not has_length and code not in _NO_BODY and code >= 200:
            lines.append(f"Content-Length: {len(payload)}")
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head if self.command == "HEAD" else head + payload)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # no access log: the servers keep their own request logs


class KeepAliveServer(ThreadingHTTPServer):
    """A threaded keep-alive WSGI server on an already bound, listening socket.

    Args:
        sock: the listening socket (from :func:`c2c_cli.serving.bind_socket`); the server takes it over.
        app: the WSGI application.
    """

    daemon_threads = True

    def __init__(self, sock: socket.socket, app: Any) -> None:
        super().__init__(sock.getsockname()[:2], _Handler, bind_and_activate=False)
        self.socket.close()
        self.socket = sock
        self.server_address = sock.getsockname()
        self.app = app
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve a new connection in its own thread (and remember it for :meth:`server_close`)."""
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Close a finished connection."""
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def server_close(self) -> None:
        """Close the listening socket and end every open keep-alive connection."""
        super().server_close()
        with self._open_lock:
            still_open = list(self._open)
        for conn in still_open:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
