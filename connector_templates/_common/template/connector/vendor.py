"""The vendor cloud's device API (by default the ``c2c sandbox`` API, docs/sandbox-api.md).

One ``requests.Session`` per container reuses TLS connections across invocations. Every call gets a
connect timeout of 0.5 s and a read timeout cut to what is left of the invocation budget; 429 and 5xx
answers (and connection failures) are retried with exponential backoff while the budget allows, which is
safe because commands carry an ``Idempotency-Key``. Vendor errors become :class:`ConnectorError` with
the HTTP meaning the service's customers will read (contract §2.4). Credentials only travel over https,
or plain http to this machine (the c2c sandbox), decided by :mod:`connector.network` exactly as c2c
decides it. ``requests`` is imported on first use so the handler's cold import stays small.
"""

from __future__ import annotations

import os
import time
from typing import Any
from urllib.parse import quote

from connector.budget import Budget
from connector.envelope import ConnectorError
from connector.network import is_loopback

DEFAULT_URL = "http://127.0.0.1:8787"
CONNECT_TIMEOUT = float(os.environ.get("VENDOR_CONNECT_TIMEOUT", "0.5"))
READ_TIMEOUT = float(os.environ.get("VENDOR_READ_TIMEOUT", "1.0"))
MIN_CALL_TIME = 0.05  # below this a call cannot succeed: report 504 instead of trying
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_ATTEMPTS = 3
BACKOFF_S = 0.05

_session: Any = None


def set_session(session: Any) -> None:
    """Use ``session`` for every vendor call (tests, benchmarks); ``None`` restores the default."""
    global _session
    _session = session


def _http() -> Any:
    global _session
    if _session is None:
        import requests
        from requests.adapters import HTTPAdapter

        session = requests.Session()
        session.mount("https://", HTTPAdapter(pool_connections=4, pool_maxsize=16, max_retries=0))
        session.mount("http://", HTTPAdapter(pool_connections=4, pool_maxsize=16, max_retries=0))
        _session = session
    return _session


def base_url() -> str:
    """``VENDOR_API_URL`` without a trailing slash."""
    return os.environ.get("VENDOR_API_URL", DEFAULT_URL).rstrip("/")


def check_transport(url: str) -> None:
    """Refuse plain http to anything but loopback: the request carries a token or the client secret.

    Raises:
        ConnectorError: 500, the URL (``VENDOR_API_URL``, ``VENDOR_REVOKE_URL``) is misconfigured.
    """
    scheme = url.split(":", 1)[0].lower()
    if scheme == "https" or (scheme == "http" and is_loopback(url)):
        return
    raise ConnectorError(500, "the vendor URL must be https (plain http is only allowed to loopback)")


def _error(status: int, body: Any) -> ConnectorError:
    detail = ""
    if isinstance(body, dict):
        detail = str(body.get("error_description") or body.get("error") or "")[:200]
    suffix = f": {detail}" if detail else ""
    if status == 401:
        return ConnectorError(401, f"the vendor rejected the credentials{suffix}")
    if status in (400, 403, 404, 409):
        return ConnectorError(status, f"the vendor answered HTTP {status}{suffix}")
    if status == 429:
        return ConnectorError(429, "the vendor is throttling requests; retry later")
    return ConnectorError(503, f"the vendor is unavailable (HTTP {status})")


def _retry_after(response: Any) -> float:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.replace(".", "", 1).isdigit() else 0.0


class Vendor:
    """A client for one invocation: the caller's credentials and time budget.

    Args:
        headers: authentication headers (``Authorization: Bearer ...`` or ``X-Api-Key``).
        budget: the invocation's time budget.
        sleep: injectable for tests.
    """

    def __init__(self, headers: dict[str, str], budget: Budget, sleep: Any = time.sleep) -> None:
        self._headers = headers
        self._budget = budget
        self._sleep = sleep
        self.calls = 0

    def request(self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        """Call the API (``path`` under ``VENDOR_API_URL``, or a full URL) and return the JSON body or ``None``.

        Raises:
            ConnectorError: the vendor refused, failed, or did not answer in time.
        """
        for attempt in range(1, MAX_ATTEMPTS + 1):
            response = self._send(method, path, headers or {}, kwargs)
            if isinstance(response, ConnectorError):
                failure, pause = response, BACKOFF_S * 2 ** (attempt - 1)
            elif response.status_code < 400:
                return _json_or_none(response) if response.content else None
            else:
                failure = _error(response.status_code, _json_or_none(response))
                failure.retry_after = _retry_after(response)
                pause = max(BACKOFF_S * 2 ** (attempt - 1), failure.retry_after)
                if response.status_code not in RETRY_STATUSES:
                    break
            if attempt == MAX_ATTEMPTS or not self._budget.allows(pause + MIN_CALL_TIME * 2):
                break
            self._sleep(pause)
        raise failure

    def _send(self, method: str, path: str, extra: dict[str, str], kwargs: dict[str, Any]) -> Any:
        """The response, or a :class:`ConnectorError` for a transport failure (retryable)."""
        import requests

        left = self._budget.remaining()
        if left < MIN_CALL_TIME:
            raise ConnectorError(504, "out of time before the vendor call")
        headers = {**self._headers, "Accept": "application/json", **extra}
        timeout = (min(CONNECT_TIMEOUT, left), min(READ_TIMEOUT, left))
        url = path if path.startswith(("http://", "https://")) else base_url() + path
        check_transport(url)
        self.calls += 1
        try:
            return _http().request(method, url, headers=headers, timeout=timeout, **kwargs)
        except requests.Timeout:
            return ConnectorError(504, "the vendor did not answer in time")
        except requests.ConnectionError:
            return ConnectorError(503, "the vendor cannot be reached")

    def me(self) -> dict[str, Any]:
        """``GET /v1/me``: the user the token belongs to."""
        return dict(self.request("GET", "/v1/me"))

    def devices(self, cursor: str | None, limit: int) -> tuple[list[dict[str, Any]], str | None]:
        """One page of ``GET /v1/devices`` and the next cursor."""
        params: dict[str, Any] = {"limit": limit, **({"cursor": cursor} if cursor else {})}
        body = self.request("GET", "/v1/devices", params=params)
        return list(body.get("devices", [])), body.get("next_cursor")

    def device(self, device_id: str) -> dict[str, Any]:
        """``GET /v1/devices/{id}``."""
        return dict(self.request("GET", f"/v1/devices/{quote(device_id, safe='')}"))

    def command(self, device_id: str, name: str, params: dict[str, Any], idempotency_key: str) -> str:
        """``POST /v1/devices/{id}/commands``; the same key applies the command once. Returns its id."""
        body = self.request(
            "POST",
            f"/v1/devices/{quote(device_id, safe='')}/commands",
            json={"command": name, "params": params},
            headers={"Idempotency-Key": idempotency_key},
        )
        return str(body["command_id"])

    def command_status(self, command_id: str) -> str:
        """``accepted``, ``applied`` or ``failed``."""
        return str(self.request("GET", f"/v1/commands/{quote(command_id, safe='')}")["status"])

    def add_webhook(self, url: str) -> dict[str, Any]:
        """``POST /v1/webhooks``: returns ``{"id", "url", "secret"}``."""
        return dict(self.request("POST", "/v1/webhooks", json={"url": url}))

    def delete_webhook(self, hook_id: str) -> None:
        """``DELETE /v1/webhooks/{id}``."""
        self.request("DELETE", f"/v1/webhooks/{quote(hook_id, safe='')}")


def _json_or_none(response: Any) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
