"""Talking to a running emulator's ``/_emulator/`` endpoints (what ``c2c emulator events|reset`` use).

A running emulator started by the CLI records itself in ``$C2C_HOME/emulator.json`` (a 0600
:class:`c2c_cli.serving.Pointer` with its URL, admin token and pid); commands find it there unless
``--url`` is given, and say which one they use (``EmulatorClient.pid``). A pointer whose process is gone
counts as no emulator. Without a token for that URL, requests are SigV4-signed with the default test
account instead. Not finding or not reaching an emulator is an emulator API error (exit 5, README).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from c2c_cli.emulator.http.admin import TOKEN_HEADER
from c2c_cli.emulator.http.errors import EmulatorError
from c2c_cli.emulator.http.settings import DEFAULT_ACCOUNT, DEFAULT_REGION, state_file_path
from c2c_cli.serving import Pointer

__all__ = ["EmulatorClient", "locate", "pointer"]


def pointer() -> Pointer:
    """The running emulator's pointer file, ``$C2C_HOME/emulator.json``."""
    return Pointer(state_file_path(), "emulator")


def locate(url: str | None = None) -> EmulatorClient:
    """A client for the emulator at ``url``, or for the one the pointer file names.

    Raises:
        EmulatorError: when no URL is given and no live emulator is recorded.
    """
    state = pointer().read() or {}
    if url is None:
        url = state.get("endpoint_url")
        if not url:
            raise EmulatorError(
                f"no running emulator found (no live emulator recorded in {state_file_path()})",
                hint="Start one with 'c2c emulator start', or pass --url.",
            )
    url = url.rstrip("/")
    mine = state.get("endpoint_url") == url
    return EmulatorClient(
        url, state.get("admin_token") if mine else None, pid=state.get("pid") if mine else None
    )


@dataclass(frozen=True)
class EmulatorClient:
    """HTTP access to one emulator's introspection endpoints.

    Attributes:
        url: the emulator's endpoint URL.
        token: its admin token (None: sign with the default test account).
        timeout: seconds per HTTP request.
        pid: the emulator's process id when the pointer file named it.
    """

    url: str
    token: str | None = None
    timeout: float = 10.0
    pid: int | None = None

    def describe(self) -> str:
        """``the emulator at URL (pid N)``, for the line that says which emulator a command uses."""
        return f"the emulator at {self.url}" + (f" (pid {self.pid})" if self.pid else "")

    def _call(self, method: str, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        import requests

        req = requests.Request(
            method, f"{self.url}{path}", params={k: v for k, v in (params or {}).items() if v}
        )
        prepared = req.prepare()
        if self.token:
            prepared.headers[TOKEN_HEADER] = self.token
        else:
            _sign(prepared)
        try:
            with requests.Session() as session:
                response = session.send(prepared, timeout=self.timeout)
        except requests.RequestException as exc:
            raise EmulatorError(
                f"cannot reach the emulator at {self.url}: {type(exc).__name__}",
                hint="Is 'c2c emulator start' running? Pass --url if it listens elsewhere.",
            ) from None
        if response.status_code != 200:
            raise EmulatorError(
                f"emulator answered {response.status_code} for {method} {path}: {_message(response)}"
            )
        data: dict[str, Any] = response.json()
        return data

    def info(self) -> dict[str, Any]:
        """The emulator's info document."""
        return self._call("GET", "/_emulator/info")

    def events(self, *, after: int = 0, connector_id: str | None = None) -> list[dict[str, Any]]:
        """Event-log records with ``seq > after``."""
        data = self._call("GET", "/_emulator/events", {"after": after, "connector": connector_id})
        records: list[dict[str, Any]] = data["events"]
        return records

    def requests(self, *, after: int = 0) -> list[dict[str, Any]]:
        """Request-log records (the emulator's and moto's) with ``seq > after``."""
        records: list[dict[str, Any]] = self._call("GET", "/_emulator/requests", {"after": after})["requests"]
        return records

    def follow(
        self,
        *,
        after: int = 0,
        connector_id: str | None = None,
        interval: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        polls: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Yield event records as they arrive (polling); ``polls`` bounds the loop (tests)."""
        count = 0
        while polls is None or count < polls:
            for record in self.events(after=after, connector_id=connector_id):
                after = max(after, int(record["seq"]))
                yield record
            count += 1
            if polls is None or count < polls:
                sleep(interval)

    def reset(self) -> None:
        """Forget every resource and log record."""
        self._call("POST", "/_emulator/reset")


def _message(response: Any) -> str:
    try:
        return str(response.json().get("Message", ""))
    except ValueError:
        return response.reason or ""


def _sign(prepared: Any) -> None:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    aws = AWSRequest(method=prepared.method, url=prepared.url, data=prepared.body or b"")
    creds = Credentials(DEFAULT_ACCOUNT.access_key_id, DEFAULT_ACCOUNT.secret_access_key)
    SigV4Auth(creds, "iotmanagedintegrations", DEFAULT_REGION).add_auth(aws)
    prepared.headers.update(dict(aws.headers.items()))
