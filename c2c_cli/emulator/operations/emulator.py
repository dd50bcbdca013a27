"""Running the emulator: its WSGI app and moto's server in daemon threads (``http.server``).

``start_emulator`` is a context manager for tests and other packages; ``serve`` (what
``c2c emulator start`` runs) does the same and waits for Ctrl-C or SIGTERM. Both servers bind
127.0.0.1 on free ports unless told otherwise. A CLI-started emulator records itself in
``$C2C_HOME/emulator.json`` (a :class:`c2c_cli.serving.Pointer`): a second one on the same
``C2C_HOME`` refuses to start, and only the writer removes the file (issue 13 §9).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import Any

from c2c_cli.emulator.driver.functions import deploy_to_moto, project_handler
from c2c_cli.emulator.http.app import EmulatorApp
from c2c_cli.emulator.http.client import pointer
from c2c_cli.emulator.http.server import moto_client, start_app, start_moto
from c2c_cli.emulator.http.settings import (
    Account,
    ConnectorAttachment,
    EmulatorSettings,
    default_db_path,
)
from c2c_cli.emulator.http.store import REQUEST_LOG
from c2c_cli.emulator.operations.connectors import create_cloud_connector
from c2c_cli.emulator.operations.discovery import open_discovery
from c2c_cli.emulator.operations.service import Service
from c2c_cli.serving import BackgroundServer, serve_until_signal

__all__ = ["Emulator", "serve", "start_emulator"]


class Emulator:
    """A running emulator (see :func:`start_emulator`)."""

    def __init__(self, settings: EmulatorSettings) -> None:
        self.settings = settings
        db = settings.db if settings.db is not None else str(default_db_path())
        self.service = Service(settings, db)
        self._app = EmulatorApp(self.service)
        self._servers: list[BackgroundServer] = []
        self._pointer = pointer() if settings.write_state_file else None
        # moto's request records are written by their own thread: moto may be answering a call the
        # emulator makes inside a store transaction (reading a secret), so its thread must not wait.
        self._moto_log = ThreadPoolExecutor(max_workers=1, thread_name_prefix="c2c-moto-log")
        self._tables = uuid.uuid4().hex[:8]  # this emulator's table-name suffix (driver.tables)

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

    def attach_target(self, function: str, target: Any, env: dict[str, str]) -> None:
        """Play ``function`` with a running target (``c2c simulate``'s): Lambda ``Invoke`` runs it there.

        ``env`` is used as it is when each invocation starts (the caller may change it meanwhile).
        """
        self.service.lifecycle.invoker.attach_target(function, target, env)

    def wait_invocations(self, timeout: float) -> bool:
        """Wait until no queued or running ``Event`` invocation is left; False on timeout."""
        return self.service.lifecycle.invoker.lambdas.queue.wait_idle(timeout)

    def invocations_pending(self) -> int:
        """``Event`` invocations queued or running (retries waiting for their delay included)."""
        return self.service.lifecycle.invoker.lambdas.queue.pending()

    def _deploy(self, attachment: ConnectorAttachment) -> None:
        """The attached function's tables and the function itself also exist in moto (``c2c register``)."""
        tables = self.state_tables(attachment.project_dir, attachment.function, attachment.handler)
        if tables:  # the worker gets the table's name; --connector-env still wins
            merged = {**tables, **dict(attachment.env)}
            attachment = replace(attachment, env=tuple(merged.items()))
            self.service.lifecycle.invoker.attach(attachment)
        deploy_to_moto(attachment, self._moto_client)

    def state_tables(self, project_dir: Path, function: str, handler: str | None = None) -> dict[str, str]:
        """Create the DynamoDB tables of the project's ``template.yaml`` in moto; the variables naming them.

        Returns ``STATE_TABLE`` (and any other variable that is a ``!Ref`` to a table) plus
        ``AWS_ENDPOINT_URL_DYNAMODB``; nothing without moto or without tables.

        Raises:
            ConfigError: ``template.yaml`` cannot be read.
            TableError: a table cannot be created.
        """
        from c2c_cli.emulator.driver.functions import function_name
        from c2c_cli.emulator.driver.tables import provision

        if not self.aws_endpoint_url:
            return {}
        pseudo = {"AWS::Region": self.region, "AWS::AccountId": self.account.account_id}
        handler = handler or project_handler(Path(project_dir))
        client = self._moto_client("dynamodb")
        env = provision(Path(project_dir), function_name(function), handler, pseudo, client, self._tables)
        return {**env, "AWS_ENDPOINT_URL_DYNAMODB": self.aws_endpoint_url} if env else {}

    def _moto_client(self, service: str) -> Any:
        keys = (self.account.access_key_id, self.account.secret_access_key)
        return moto_client(self.aws_endpoint_url, self.region, *keys, service)

    def create_connector(self, name: str, lambda_arn: str, account: Account | None = None) -> str:
        """Create a cloud connector as ``account`` (default: the default account), as the API would."""
        import time

        owner = account or self.account
        ctx = self.service.context(owner, owner.access_key_id, time.time(), "in-process")
        params = {"Name": name, "EndpointConfig": {"lambda": {"arn": lambda_arn}}, "EndpointType": "LAMBDA"}
        return str(create_cloud_connector(ctx, params)["Id"])

    def open_discovery(
        self, connector_id: str, device_ids: tuple[str, ...] = (), discovery_id: str | None = None
    ) -> str:
        """A ``RUNNING`` discovery's id: hand-sent ``DEVICE_DISCOVERY`` events need one (contract.md §4.7)."""
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
        """Bind, serve in daemon threads, start moto, write the pointer file when asked.

        Raises:
            UsageError: another emulator owns the pointer file, or an address cannot be bound.
        """
        try:
            if self._pointer is not None:
                self._pointer.ensure_free()  # before binding: a refused start touches nothing
            app = start_app(self._app, self.settings.host, self.settings.port)
            self._servers.append(app)
            self.service.endpoint_url = app.url
            if self.settings.with_moto:
                moto = start_moto(self.settings.host, 0, self._moto_request)
                self._servers.append(moto)
                self.service.aws_endpoint_url = moto.url
                for attachment in self.settings.connectors:
                    self._deploy(attachment)
            if self._pointer is not None:
                self._pointer.write({"endpoint_url": self.endpoint_url, "admin_token": self.admin_token})
        except BaseException:
            self.stop()
            raise
        return self

    def _moto_request(self, record: dict[str, Any]) -> None:
        """Moto's access log goes to the emulator's request log, not stderr (issue 13, papercuts)."""
        record = {"received_at": self.service.clock(), **record}
        with suppress(RuntimeError):  # stopping: the log is closed
            self._moto_log.submit(self.service.store.append_log, REQUEST_LOG, record)

    def stop(self) -> None:
        """Stop both servers, remove the pointer file (only if this process wrote it), close the store."""
        for server in reversed(self._servers):
            server.stop()
        self._servers.clear()
        self._moto_log.shutdown(wait=True)
        if self._pointer is not None:
            self._pointer.remove()
        self.service.close()


@contextmanager
def start_emulator(settings: EmulatorSettings | None = None) -> Iterator[Emulator]:
    """Run an emulator for the duration of a ``with`` block.

    Args:
        settings: defaults to an in-memory emulator with moto on free loopback ports.

    Yields:
        The running :class:`Emulator`.

    Raises:
        UsageError: when a server cannot bind, or another emulator owns the pointer file.
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
    with start_emulator(settings) as emulator:
        serve_until_signal(lambda _: on_ready(emulator), stop)
