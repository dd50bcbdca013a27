"""The emulator's two listening servers: its own WSGI app and the companion moto server.

Both are :class:`c2c_cli.serving.BackgroundServer` instances, so a port in use or a host that does not
resolve is one ``Error:`` line with exit 2 (issue 13 §16). Neither writes an access log to stderr:
the emulator's app keeps its own request log, and moto's requests are handed to ``on_moto_request``
(the emulator records them in the same log, ``c2c emulator events`` / ``/_emulator/requests``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from c2c_cli.emulator.http.app import access_key_of, attempt_of
from c2c_cli.emulator.http.keepalive import KeepAliveServer
from c2c_cli.serving import BackgroundServer

__all__ = ["MotoRequest", "moto_record", "start_app", "start_moto"]

MotoRequest = Callable[[dict[str, Any]], None]
"""Called with a request-log record (the emulator's own fields, ``server: "moto"``) per moto request."""


def start_app(app: Any, host: str, port: int) -> BackgroundServer:
    """Serve the emulator's WSGI app on the keep-alive server (no access log: the app writes the request log).

    Raises:
        UsageError: the address cannot be bound.
    """
    return BackgroundServer(app, host, port, name="c2c-emulator", server=KeepAliveServer)


def start_moto(host: str, port: int, on_request: MotoRequest) -> BackgroundServer:
    """Serve moto's backends (Lambda, Secrets Manager, IAM, STS, KMS, ...) like ``moto_server`` does.

    Raises:
        UsageError: the address cannot be bound.
    """
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    app = DomainDispatcherApplication(create_backend_app)
    return BackgroundServer(app, host, port, name="c2c-moto", request_handler=_moto_handler(on_request))


def _moto_handler(on_request: MotoRequest) -> type[Any]:
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    class _Recorded(MotoRequestHandler):  # type: ignore[misc]
        # werkzeug would print a coloured access-log line on stderr for each request
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:  # noqa: ARG002
            on_request(moto_record(self.command, self.path, code, self.headers))

    return _Recorded


def moto_record(method: str, path: str, code: int | str, headers: Any) -> dict[str, Any]:
    """A request-log record of one moto request, shaped like the emulator's own (``received_at`` added later)."""
    target = str(headers.get("X-Amz-Target") or "")
    return {
        "server": "moto",
        "request_id": None,
        "operation": target.rpartition(".")[2] or None,  # JSON-protocol services name it here
        "method": method,
        "path": path.partition("?")[0],
        "account_id": None,
        "access_key_id": access_key_of(headers),
        "attempt": attempt_of(headers.get("amz-sdk-request")),
        "http_status": int(code) if str(code).isdigit() else None,
        "error_code": None,
        "fault": None,
        "duration_ms": None,
    }


def moto_client(
    endpoint_url: str | None, region: str, access_key_id: str, secret_access_key: str, service: str
) -> Any:
    """A botocore client of the companion moto server, signed with an emulator account's test keys."""
    import botocore.session

    return botocore.session.get_session().create_client(
        service,
        endpoint_url=endpoint_url,
        region_name=region,
        aws_access_key_id=access_key_id,
        aws_secret_access_key=secret_access_key,
    )
