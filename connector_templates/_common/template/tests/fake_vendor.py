"""An in-process fake of the vendor's device API (the c2c sandbox API subset the connector uses).

A real HTTP server on 127.0.0.1 (an ephemeral port), so the connector's session, timeouts and retries run
for real. Tests seed devices, pick how commands behave, inject failures and read back what was called.
"""

from __future__ import annotations

import base64
import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

STATES: dict[str, dict[str, Any]] = {
    "on_off_light": {"on": False},
    "plug": {"on": True},
    "dimmable_light": {"on": True, "brightness": 50},
    "color_light": {
        "on": True,
        "brightness": 80,
        "color_temperature": 4000,
        "hue": 180,
        "saturation": 50,
        "color_mode": "temperature",
    },
    "fan": {"on": False, "fan_mode": "off", "speed_percent": 0},
    "thermostat": {"mode": "heat", "current_temperature": 21.5, "target_heat": 20.0, "target_cool": 24.0},
    "door_lock": {"locked": True, "door_open": False},
    "window_covering": {"position": 100, "moving": False},
    "contact_sensor": {"open": False, "battery": 90},
    "occupancy_sensor": {"occupied": True, "battery": 15},
    "temperature_sensor": {"temperature": 21.5, "humidity": 45.0, "battery": 80},
}
# What each vendor command does to the state (the sandbox's rules, simplified).
EFFECTS: dict[str, Any] = {
    "on": lambda s, p: {"on": True},
    "off": lambda s, p: {"on": False},
    "toggle": lambda s, p: {"on": not s["on"]},
    "set_brightness": lambda s, p: {"brightness": p["brightness"]},
    "set_color_temperature": lambda s, p: {"color_temperature": p["kelvin"], "color_mode": "temperature"},
    "set_hue_saturation": lambda s, p: {"hue": p["hue"], "saturation": p["saturation"], "color_mode": "hs"},
    "set_fan_mode": lambda s, p: {"fan_mode": p["mode"], "on": p["mode"] != "off"},
    "set_speed": lambda s, p: {"speed_percent": p["percent"], "on": p["percent"] > 0},
    "set_mode": lambda s, p: {"mode": p["mode"]},
    "set_target_temperature": lambda s, p: {
        **({"target_heat": float(p["heat"])} if "heat" in p else {}),
        **({"target_cool": float(p["cool"])} if "cool" in p else {}),
    },
    "lock": lambda s, p: {"locked": True},
    "unlock": lambda s, p: {"locked": False},
    "open": lambda s, p: {"position": 100},
    "close": lambda s, p: {"position": 0},
    "stop": lambda s, p: {"moving": False},
    "set_position": lambda s, p: {"position": p["position"]},
}


@dataclass
class Call:
    """One request the fake received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


@dataclass
class FakeVendor:
    """State and switches of the fake; ``url`` is set once the server runs."""

    url: str = ""
    devices: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # bearer token -> user id
    api_keys: dict[str, tuple[str, ...]] = field(default_factory=dict)  # key -> user ids
    client: tuple[str, str] = ("test-client", "test-client-secret")
    calls: list[Call] = field(default_factory=list)
    failures: dict[str, list[int]] = field(default_factory=dict)  # path prefix -> statuses to answer first
    retry_after: str = ""  # the Retry-After header of injected 429 answers
    apply_commands: str = "applied"  # "applied", "failed" or "accepted" (never applied in time)
    commands: dict[str, dict[str, Any]] = field(default_factory=dict)
    idempotency: dict[str, str] = field(default_factory=dict)
    webhooks: dict[str, dict[str, Any]] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_device(self, kind: str, owner: str, device_id: str | None = None, **state: Any) -> str:
        """Seed a device of ``kind`` (state defaults from :data:`STATES`)."""
        device_id = device_id or f"dev-{len(self.devices) + 1:05d}"
        self.devices[device_id] = {
            "id": device_id,
            "name": f"Test {kind.replace('_', ' ')} {len(self.devices) + 1}",
            "kind": kind,
            "owner_user_id": owner,
            "manufacturer": "Sandbox Inc.",
            "model": "SBX-1",
            "firmware": "1.0.0",
            "online": True,
            "state": {**STATES[kind], **state},
        }
        return device_id

    def calls_to(self, method: str, prefix: str) -> list[Call]:
        """The calls of ``method`` whose path starts with ``prefix``."""
        return [c for c in self.calls if c.method == method and c.path.startswith(prefix)]

    def users_of(self, headers: dict[str, str]) -> tuple[str, ...] | None:
        """Whose devices the caller may see; ``None`` when the credentials are unknown or revoked."""
        auth = headers.get("authorization", "")
        if auth.startswith("Bearer "):
            token = auth[7:]
            user = self.tokens.get(token)
            return (user,) if user and token not in self.revoked else None
        return self.api_keys.get(headers.get("x-api-key", ""))


class _Handler(BaseHTTPRequestHandler):
    fake: FakeVendor

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _reply(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        body: Any = raw.decode()
        if headers.get("content-type", "").startswith("application/json") and raw:
            body = json.loads(raw)
        elif headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            body = {k: v[0] for k, v in parse_qs(body).items()}
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        fake = self.fake
        with fake.lock:
            fake.calls.append(Call(method, parts.path, query, headers, body))
            for prefix, statuses in fake.failures.items():
                if parts.path.startswith(prefix) and statuses:
                    status = statuses.pop(0)
                    extra = {"Retry-After": fake.retry_after} if status == 429 and fake.retry_after else {}
                    self._reply(status, {"error": "injected"}, extra)
                    return
            status, answer = _route(fake, method, unquote(parts.path), query, headers, body)
        self._reply(status, answer)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")


def _route(fake: FakeVendor, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any):
    if path == "/oauth/revoke":
        return _revoke(fake, headers, body)
    users = fake.users_of(headers)
    if users is None:
        return 401, {"error": "invalid_token", "error_description": "unknown or revoked credentials"}
    segments = path.strip("/").split("/")
    if path == "/v1/me":
        return (200, {"user_id": users[0]}) if "authorization" in headers else (400, {"error": "invalid_request"})
    if path == "/v1/devices" and method == "GET":
        return 200, _page(fake, users, query)
    if segments[:2] == ["v1", "devices"] and len(segments) >= 3:
        device = fake.devices.get(segments[2])
        if device is None or device["owner_user_id"] not in users:
            return 404, {"error": "not_found"}
        if len(segments) == 3:
            return 200, device
        return _command(fake, device, headers, body)
    if segments[:2] == ["v1", "commands"] and len(segments) == 3 and segments[2] in fake.commands:
        return 200, fake.commands[segments[2]]
    if path == "/v1/webhooks" and method == "POST":
        hook = {"id": f"wh-{len(fake.webhooks) + 1}", "url": body["url"], "secret": "whsec-" + uuid.uuid4().hex}
        fake.webhooks[hook["id"]] = hook
        return 201, hook
    if segments[:2] == ["v1", "webhooks"] and method == "DELETE" and len(segments) == 3:
        return (204, None) if fake.webhooks.pop(segments[2], None) else (404, {"error": "not_found"})
    return 404, {"error": "not_found"}


def _page(fake: FakeVendor, users: tuple[str, ...], query: dict[str, str]) -> dict[str, Any]:
    mine = [d for d in fake.devices.values() if d["owner_user_id"] in users]
    start = int(base64.urlsafe_b64decode(query["cursor"]).decode()) if query.get("cursor") else 0
    limit = int(query.get("limit", "50"))
    end = start + limit
    more = end < len(mine)
    return {
        "devices": mine[start:end],
        "next_cursor": base64.urlsafe_b64encode(str(end).encode()).decode() if more else None,
    }


def _command(fake: FakeVendor, device: dict[str, Any], headers: dict[str, str], body: Any):
    name, params = body.get("command"), body.get("params") or {}
    if name not in EFFECTS:
        return 400, {"error": "invalid_command", "error_description": f"unknown command {name}"}
    key = headers.get("idempotency-key")
    if key and key in fake.idempotency:
        return 202, {"command_id": fake.idempotency[key], "status": "accepted"}
    command_id = f"cmd-{len(fake.commands) + 1:04d}"
    record = {"command_id": command_id, "device_id": device["id"], "command": name, "params": params}
    fake.commands[command_id] = {**record, "status": fake.apply_commands}
    if fake.apply_commands == "applied":
        device["state"].update(EFFECTS[name](device["state"], params))
    if key:
        fake.idempotency[key] = command_id
    return 202, {"command_id": command_id, "status": "accepted"}


def _revoke(fake: FakeVendor, headers: dict[str, str], body: Any):
    expected = "Basic " + base64.b64encode(f"{fake.client[0]}:{fake.client[1]}".encode()).decode()
    if headers.get("authorization") != expected:
        return 401, {"error": "invalid_client"}
    fake.revoked.add(body.get("token", ""))
    return 200, {}


class FakeVendorServer:
    """Runs a :class:`FakeVendor` on 127.0.0.1 until :meth:`stop`."""

    def __init__(self) -> None:
        self.fake = FakeVendor()
        handler = type("Handler", (_Handler,), {"fake": self.fake})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.fake.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def reset(self) -> FakeVendor:
        """A fresh fake on the same server."""
        fresh = FakeVendor(url=self.fake.url)
        self.fake.__dict__.update(fresh.__dict__)
        return self.fake

    def stop(self) -> None:
        """Shut the server down."""
        self._server.shutdown()
        self._server.server_close()
