"""Serving a WSGI app on a local port: in a background thread, or until SIGINT/SIGTERM (issue 14 §4).

Every c2c server (emulator, sandbox, the simulator's webhook receiver, the OAuth loopback callback)
starts through :class:`BackgroundServer`, so binding errors read the same everywhere: one line, exit 2
(``UsageError``), never werkzeug's own "Port N is in use" text and ``sys.exit``. The socket is bound
here and handed to werkzeug by file descriptor for exactly that reason.

A server that other processes should find (``c2c sandbox poke``, ``c2c emulator events``) records
itself in a :class:`Pointer` file under ``$C2C_HOME``. Only the process that wrote a pointer removes
it, and a second server refuses to start while the first one's pointer names a live process
(issue 13 §9).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from c2c_cli.errors import UsageError
from c2c_cli.paths import atomic_write_text

__all__ = ["BackgroundServer", "Pointer", "bind_socket", "serve_until_signal", "url_host"]


def url_host(host: str) -> str:
    """``host`` as it appears in a URL (IPv6 literals in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (0 = any free port).

    Raises:
        UsageError: the host does not resolve, or the address is in use or not this machine's.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):
        raise UsageError(
            f"cannot listen on {host}: the host name does not resolve",
            hint="Use an IP address of this machine, e.g. --host 127.0.0.1.",
        ) from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        where = f"{url_host(host)}:{port}"
        reason = "the address is already in use" if exc.errno == 98 else (exc.strerror or str(exc)).lower()
        raise UsageError(
            f"cannot listen on {where}: {reason}",
            hint="Choose another --port (0 = any free port), or stop the process using it.",
        ) from None
    return sock


class BackgroundServer:
    """A WSGI app served (threaded) in a daemon thread until :meth:`stop`; werkzeug's server by default.

    Args:
        app: the WSGI application.
        host: address to bind.
        port: port to bind (0 = any free port).
        name: the serving thread's name.
        request_handler: a werkzeug ``WSGIRequestHandler`` subclass (default: one that logs nothing).
        server: instead of werkzeug, ``server(listening_socket, app)`` makes the server (a
            ``socketserver.BaseServer``: ``serve_forever``, ``shutdown``, ``server_close``,
            ``server_address``); it takes the socket over. The emulator passes its keep-alive server.

    Raises:
        UsageError: the address cannot be bound (see :func:`bind_socket`).
    """

    def __init__(
        self,
        app: Any,
        host: str,
        port: int,
        *,
        name: str,
        request_handler: type[Any] | None = None,
        server: Callable[[socket.socket, Any], Any] | None = None,
    ) -> None:
        sock = bind_socket(host, port)
        if server is not None:
            try:
                self._server = server(sock, app)
            except BaseException:
                sock.close()
                raise
        else:
            from werkzeug.serving import make_server

            try:
                self._server = make_server(
                    host,
                    sock.getsockname()[1],
                    app,
                    threaded=True,
                    request_handler=request_handler or quiet_handler(),
                    fd=sock.fileno(),
                )
            finally:
                sock.close()  # werkzeug holds its own duplicate of the descriptor
        self.host = host
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=lambda: self._server.serve_forever(poll_interval=0.05), name=name, daemon=True
        )
        self._thread.start()
        self._stopped = False

    @property
    def url(self) -> str:
        """``http://host:port``."""
        return f"http://{url_host(self.host)}:{self.port}"

    def stop(self) -> None:
        """Stop serving and close the socket (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> BackgroundServer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def quiet_handler() -> type[Any]:
    """A werkzeug request handler that writes no access log (servers keep their own request logs)."""
    from werkzeug.serving import WSGIRequestHandler

    class _Quiet(WSGIRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            pass

    return _Quiet


def serve_until_signal(
    wait: Callable[[threading.Event], None] | None = None, stop: threading.Event | None = None
) -> None:
    """Block until SIGINT, SIGTERM or ``stop`` is set; the signal handlers are restored afterwards.

    The handlers set an event instead of raising, so a signal can never interrupt start-up or
    shutdown halfway. Outside the main thread (tests) no handler is installed and only ``stop`` ends
    the wait.

    Args:
        wait: called with the stop event instead of the plain wait loop (rarely needed).
        stop: set it to stop; a fresh event otherwise.
    """
    stop = stop or threading.Event()
    with _signals_set(stop):
        if wait is not None:
            wait(stop)
        while not stop.wait(0.5):
            pass


@contextlib.contextmanager
def _signals_set(stop: threading.Event) -> Iterator[None]:
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class Pointer:
    """A running server's pointer file (0600 JSON with ``pid``), owned by the process that wrote it.

    Args:
        path: e.g. ``$C2C_HOME/sandbox.json``.
        what: the server's name for messages (``sandbox``, ``emulator``).
    """

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what
        self._written: str | None = None

    def read(self) -> dict[str, Any] | None:
        """The pointer's data when it names a live process, else None (a stale file is ignored)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or not _alive(data.get("pid")):
            return None
        return data

    def ensure_free(self) -> None:
        """Refuse to start a second server on the same ``C2C_HOME``.

        Raises:
            UsageError: a live process other than this one owns the pointer.
        """
        data = self.read()
        if data is not None and data.get("pid") != os.getpid():
            where = data.get("url") or data.get("endpoint_url") or "?"
            raise UsageError(
                f"{_article(self.what)} {self.what} is already running at {where} (pid {data.get('pid')}, {self.path})",
                hint=f"Stop it first, or give this one its own state directory: C2C_HOME=DIR c2c {self.what} start",
            )

    def write(self, data: dict[str, Any]) -> None:
        """Record this process (atomically, 0600); ``pid`` is added."""
        self.ensure_free()
        text = json.dumps({**data, "pid": os.getpid()}, sort_keys=True)
        atomic_write_text(self.path, text)
        self._written = text

    def remove(self) -> None:
        """Remove the pointer, only if it is still the one this process wrote."""
        if self._written is None:
            return
        with contextlib.suppress(OSError):
            if self.path.read_text(encoding="utf-8") == self._written:
                self.path.unlink()
        self._written = None


def _alive(pid: Any) -> bool:
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"
