"""Running the emulator: a werkzeug server in a daemon thread, plus moto's server for the other services.

``start_emulator`` is a context manager for tests and other packages; the CLI uses the same function
and then waits for Ctrl-C. Both servers bind 127.0.0.1 on free ports unless told otherwise.
"""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from c2c_cli.emulator.apierrors import EmulatorError
from c2c_cli.emulator.settings import Account, EmulatorSettings, default_db_path, state_file_path

__all__ = ["Emulator", "serve", "start_emulator"]


class Emulator:
    """A running emulator (see :func:`start_emulator`)."""

    def __init__(self, settings: EmulatorSettings) -> None:
        from c2c_cli.emulator.app import EmulatorApp
        from c2c_cli.emulator.service import Service

        self.settings = settings
        db = settings.db if settings.db is not None else str(default_db_path())
        self.service = Service(settings, db)
        self._app = EmulatorApp(self.service)
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._moto: Any = None

    # -- what tests use --------------------------------------------------------------------------

    @property
    def endpoint_url(self) -> str:
        """This service's URL (``AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS``)."""
        return self.service.endpoint_url

    @property
    def aws_endpoint_url(self) -> str | None:
        """Moto's URL (``AWS_ENDPOINT_URL``), None without moto."""
        return self.service.aws_endpoint_url

    @property
    def region(self) -> str:
        """The region clients should use."""
        return self.settings.region

    @property
    def account(self) -> Account:
        """The default account."""
        return self.service.accounts[0]

    @property
    def accounts(self) -> tuple[Account, ...]:
        """Every known account, default first."""
        return self.service.accounts

    @property
    def info(self) -> dict[str, Any]:
        """What ``c2c emulator start --json`` prints."""
        return self.service.info()

    @property
    def admin_token(self) -> str:
        """The token for ``/_emulator/`` endpoints (header ``X-C2C-Emulator-Token``)."""
        return self.service.admin_token

    def add_account(self, account_id: str, access_key_id: str, secret_access_key: str) -> Account:
        """Add an account that can sign requests."""
        return self.service.add_account(Account(account_id, access_key_id, secret_access_key))

    def attach_connector(
        self,
        function: str,
        project_dir: Path,
        *,
        handler: str | None = None,
        webhook_handler: str | None = "connector.webhook:lambda_handler",
        env: dict[str, str] | None = None,
        deploy: bool = True,
    ) -> str | None:
        """Play the Lambda function ``function`` (name or ARN) with a local project.

        Args:
            function: what the cloud connector's ``EndpointConfig.lambda.arn`` names.
            project_dir: the project; its ``c2c.yaml`` names the handler unless ``handler`` is given.
            handler: ``module:function`` of the connector entry point.
            webhook_handler: the entry point served as the function's local Function URL (None: none).
            env: the function's environment variables (e.g. ``VENDOR_API_URL``).
            deploy: also create the function in moto when it does not exist there (with moto running).

        Returns:
            The local Function URL, or None without a webhook entry point.
        """
        from c2c_cli.emulator.functions import project_handler
        from c2c_cli.emulator.settings import ConnectorAttachment

        attachment = ConnectorAttachment(
            function,
            Path(project_dir),
            handler or project_handler(Path(project_dir)),
            webhook_handler,
            tuple((env or {}).items()),
        )
        self.service.lifecycle.invoker.attach(attachment)
        if self.aws_endpoint_url and deploy:
            self._deploy(attachment)
        return self.service.lifecycle.invoker.function_url(function)

    def _deploy(self, attachment: Any) -> None:
        """The attached function also exists in moto (so ``c2c register`` finds it)."""
        from c2c_cli.emulator.functions import deploy_to_moto

        deploy_to_moto(attachment, self._moto_client)

    def _moto_client(self, service: str) -> Any:
        import botocore.session

        return botocore.session.get_session().create_client(
            service,
            endpoint_url=self.aws_endpoint_url,
            region_name=self.region,
            aws_access_key_id=self.account.access_key_id,
            aws_secret_access_key=self.account.secret_access_key,
        )

    def create_connector(self, name: str, lambda_arn: str, account: Account | None = None) -> str:
        """Create a cloud connector as ``account`` (default: the default account), as the API would."""
        import time

        from c2c_cli.emulator.connectors import create_cloud_connector

        owner = account or self.account
        ctx = self.service.context(owner, owner.access_key_id, time.time(), "in-process")
        params = {"Name": name, "EndpointConfig": {"lambda": {"arn": lambda_arn}}, "EndpointType": "LAMBDA"}
        return str(create_cloud_connector(ctx, params)["Id"])

    def open_discovery(
        self, connector_id: str, device_ids: tuple[str, ...] = (), discovery_id: str | None = None
    ) -> str:
        """A ``RUNNING`` discovery's id: hand-sent ``DEVICE_DISCOVERY`` events need one (contract.md §4.7)."""
        from c2c_cli.emulator.discovery import open_discovery

        clock = self.service.clock()
        return open_discovery(self.service.store, self.region, connector_id, clock, device_ids, discovery_id)

    def events(self, connector_id: str | None = None, after: int = 0) -> list[dict[str, Any]]:
        """Event-log records (every SendConnectorEvent, accepted or rejected), oldest first."""
        return self.service.store.read_log("event", after=after, connector_id=connector_id, limit=1_000_000)

    def requests(self, after: int = 0) -> list[dict[str, Any]]:
        """Request-log records (every API call with its attempt, status and injected fault)."""
        return self.service.store.read_log("request", after=after, limit=1_000_000)

    def reset(self) -> None:
        """Forget all resources and logs."""
        self.service.store.reset()

    def client_env(self) -> dict[str, str]:
        """Environment variables that point boto3 (and the AWS CLI) at this emulator and moto."""
        env = {"AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS": self.endpoint_url}
        if self.aws_endpoint_url:
            env["AWS_ENDPOINT_URL"] = self.aws_endpoint_url
        env.update(
            AWS_ACCESS_KEY_ID=self.account.access_key_id,
            AWS_SECRET_ACCESS_KEY=self.account.secret_access_key,
            AWS_DEFAULT_REGION=self.region,
            AWS_REGION=self.region,
        )
        return env

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> Emulator:
        """Bind, serve in a daemon thread, start moto, write the state file when asked."""
        from werkzeug.serving import WSGIRequestHandler, make_server

        class _QuietHandler(WSGIRequestHandler):
            # The request log (/_emulator/requests) replaces werkzeug's access log on stderr.
            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                pass

        try:
            self._server = make_server(
                self.settings.host,
                self.settings.port,
                self._app,
                threaded=True,
                request_handler=_QuietHandler,
            )
        except OSError as exc:
            self.service.close()
            raise EmulatorError(
                f"cannot listen on {self.settings.host}:{self.settings.port}: {exc.strerror or exc}",
                hint="Choose another --port, or stop the process using it.",
            ) from None
        host, port = self._server.server_address[:2]
        self.service.endpoint_url = f"http://{_url_host(str(host))}:{port}"
        self._thread = threading.Thread(
            target=lambda: self._server.serve_forever(poll_interval=0.05), name="c2c-emulator", daemon=True
        )
        self._thread.start()
        if self.settings.with_moto:
            self._start_moto()
            for attachment in self.settings.connectors:
                self._deploy(attachment)
        if self.settings.write_state_file:
            _write_state_file(self.endpoint_url, self.admin_token)
        return self

    def _start_moto(self) -> None:
        from moto.server import ThreadedMotoServer

        self._moto = ThreadedMotoServer(ip_address=self.settings.host, port=0, verbose=False)
        self._moto.start()
        host, port = self._moto.get_host_and_port()
        self.service.aws_endpoint_url = f"http://{_url_host(host)}:{port}"

    def stop(self) -> None:
        """Stop both servers and close the store."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._moto is not None:
            self._moto.stop()
        if self.settings.write_state_file:
            with suppress(OSError):
                _remove_state_file(self.endpoint_url)
        self.service.close()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _write_state_file(endpoint_url: str, admin_token: str) -> None:
    path = state_file_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"endpoint_url": endpoint_url, "admin_token": admin_token, "pid": os.getpid()}, fh)
        fh.flush()
        os.fsync(fh.fileno())
    Path(tmp).replace(path)


def _remove_state_file(endpoint_url: str) -> None:
    path = state_file_path()
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("endpoint_url") == endpoint_url:
        path.unlink()


@contextmanager
def start_emulator(settings: EmulatorSettings | None = None) -> Iterator[Emulator]:
    """Run an emulator for the duration of a ``with`` block.

    Args:
        settings: defaults to an in-memory emulator with moto on free loopback ports.

    Yields:
        The running :class:`Emulator`.

    Raises:
        EmulatorError: when a server cannot bind.
    """
    emulator = Emulator(settings or EmulatorSettings()).start()
    try:
        yield emulator
    finally:
        emulator.stop()


def serve(
    settings: EmulatorSettings,
    on_ready: Callable[[Emulator], None],
    stop: threading.Event | None = None,
) -> None:
    """Run an emulator until Ctrl-C, SIGTERM or ``stop`` is set (what ``c2c emulator start`` does).

    Args:
        settings: how to run.
        on_ready: called once both servers listen (prints the environment to use).
        stop: set it to stop (tests); a fresh event otherwise.
    """
    stop = stop or threading.Event()
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is threading.main_thread():
        # Ctrl-C and SIGTERM both mean "stop cleanly", whenever they arrive (even during start-up output).
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
    try:
        with start_emulator(settings) as emulator:
            on_ready(emulator)
            while not stop.wait(0.5):
                pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
