"""The whole offline lifecycle of a connector, step by step, with the real ``c2c`` commands."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from c2c_cli.demo.record import USER, DemoResult, DemoRun, Step
from c2c_cli.demo.stack import project_and_emulator

__all__ = ["DemoResult", "Step", "run_demo"]


def _vendor_env(sandbox: dict[str, Any]) -> dict[str, str]:
    return {
        "VENDOR_API_URL": sandbox["base_url"],
        "VENDOR_CLIENT_ID": sandbox["client_id"],
        "VENDOR_CLIENT_SECRET": sandbox["client_secret"],
    }


def _local_stack(demo: DemoRun, stack: ExitStack) -> tuple[dict[str, Any], dict[str, Any]]:
    sandbox = demo.server(
        stack,
        "Start the vendor sandbox",
        "sandbox",
        "start",
        "--json",
        "--port",
        "0",
        "--db",
        ":memory:",
        "--devices",
        "6",
        "--auto-consent",
        USER,
    ).info
    emulator = project_and_emulator(
        demo, stack, title="Scaffold a connector", vendor_env=_vendor_env(sandbox)
    )
    demo.runner.env.update(_emulator_env(emulator))
    return sandbox, emulator


def _emulator_env(info: dict[str, Any]) -> dict[str, str]:
    return {
        "AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS": info["endpoint_url"],
        "AWS_ENDPOINT_URL": info["aws_endpoint_url"],
        "AWS_ACCESS_KEY_ID": info["access_key_id"],
        "AWS_SECRET_ACCESS_KEY": info["secret_access_key"],
        "AWS_DEFAULT_REGION": info["region"],
        "AWS_REGION": info["region"],
    }


def _simulate(demo: DemoRun) -> None:
    project = ("--project", str(demo.project))
    demo.c2c(
        "Link a test account (OAuth 2.0 + PKCE)",
        "oauth",
        "login",
        *project,
        "--no-browser",
        "--json",
        visit_url=True,
        summary=lambda d: f"user {d['user_id']}",
    )
    demo.c2c("Simulate AWS.ActivateUser", "simulate", "activate", *project, "--json", summary=_sim)
    saved = str(demo.workdir / "devices.json")
    demo.c2c(
        "Simulate AWS.DiscoverDevices",
        "simulate",
        "discover",
        *project,
        "--save",
        saved,
        "--json",
        summary=_sim,
    )
    device = _first_light(demo.workdir / "devices.json")
    demo.c2c(
        "Simulate AWS.SendCommand (OnOff On)",
        "simulate",
        "command",
        *project,
        "--devices",
        saved,
        "--device",
        device,
        "--endpoint",
        "1",
        "--cluster",
        "OnOff",
        "--command",
        "On",
        "--json",
        summary=_sim,
    )
    demo.c2c("Simulate AWS.DeactivateUser", "simulate", "deactivate", *project, "--json", summary=_sim)
    demo.c2c("Run the conformance suite", "test", *project, "--sandbox", "--json", summary=_suite)


def _sim(data: dict[str, Any]) -> str:
    ack: dict[str, Any] = data["ack"] if isinstance(data.get("ack"), dict) else {}
    code = (ack.get("header") or {}).get("responseCode")
    events = len(data.get("events") or [])
    return f"ACK {code}, {events} event(s), {'conforms' if data.get('ok') else 'VIOLATIONS'}"


def _suite(data: dict[str, Any]) -> str:
    counts = data.get("counts") or {}
    return ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) or "done"


def _first_light(saved: Path) -> str:
    import json

    devices = json.loads(saved.read_text())
    devices = devices.get("devices", devices) if isinstance(devices, dict) else devices
    for device in devices:
        clusters = {c.get("id") for e in device["CapabilityReport"]["endpoints"] for c in e["clusters"]}
        if "0x0006" in clusters:
            return str(device["ConnectorDeviceId"])
    return str(devices[0]["ConnectorDeviceId"])


def _service(demo: DemoRun, sandbox: dict[str, Any]) -> None:
    project = ("--project", str(demo.project))
    demo.c2c(
        "Register with boto3 (emulator + moto)",
        "register",
        *project,
        "--yes",
        "--json",
        summary=lambda d: f"{sum(1 for s in d['steps'] if s['action'] != 'unchanged')} steps applied",
    )
    linked = demo.c2c(
        "Link an account and discover through the service",
        "link",
        *project,
        "--things",
        "--json",
        visit_url=True,
        summary=lambda d: f"{len(d['devices'])} devices onboarded",
    )
    thing, device = _light_thing(linked)
    _command_and_event(demo, sandbox, thing, device)
    demo.c2c("Unregister", "unregister", *project, "--yes", "--json", summary=lambda _d: "removed")


def _light_thing(linked: dict[str, Any]) -> tuple[str, str]:
    for device in linked["devices"]:
        if any("Light" in t for t in device.get("device_types") or ()):
            return str(device["managed_thing_id"]), str(device["connector_device_id"])
    first = linked["devices"][0]
    return str(first["managed_thing_id"]), str(first["connector_device_id"])


def _command_and_event(demo: DemoRun, sandbox: dict[str, Any], thing: str, device: str) -> None:
    from c2c_cli.aws.customer import customer_client, wait_for_property

    iot = customer_client(demo.runner.env)
    demo.c2c(
        "A physical change at the vendor (light off)",
        "sandbox",
        "poke",
        device,
        "on=false",
        "--url",
        sandbox["base_url"],
        "--admin-key",
        sandbox["admin_key"],
        "--json",
        summary=lambda _d: "webhook fired",
    )
    demo.progress("Wait for the DEVICE_EVENT")
    seconds, value = wait_for_property(iot, thing, "OnOff", False)
    demo.steps.append(
        Step(
            "DEVICE_EVENT updates the thing",
            "boto3 get_managed_thing_state",
            seconds,
            f"thing state OnOff={value}",
        )
    )
    demo.progress("Send matter.OnOff On to the managed thing")
    seconds, value = wait_for_property(iot, thing, "OnOff", True, send=("matter.OnOff@1.4", "On"))
    demo.steps.append(
        Step(
            "Customer command matter.OnOff On",
            "boto3 send_managed_thing_command",
            seconds,
            f"thing state OnOff={value}",
        )
    )


def _oauth_leg(demo: DemoRun, stack: ExitStack) -> dict[str, str]:
    sandbox, emulator = _local_stack(demo, stack)
    _simulate(demo)
    _service(demo, sandbox)
    return {
        "sandbox": sandbox["base_url"],
        "emulator": emulator["endpoint_url"],
        "moto": str(emulator.get("aws_endpoint_url")),
    }


def run_demo(
    workdir: Path,
    progress: Callable[[str], None] = lambda _m: None,
    *,
    keep_servers: bool = False,
    auth: str = "oauth",
) -> DemoResult:
    """Run the lifecycle in ``workdir`` (project, c2c home).

    Every server it starts is stopped on return, unless ``keep_servers`` (``c2c demo --keep``) and the
    demo succeeded: then they keep serving for exploration and ``servers`` says where and which PIDs.
    ``auth="general"`` runs the short General Authorization leg (``demo.general``) instead.

    Raises:
        CommandFailed: a step's command failed (the servers are stopped all the same).
    """
    from c2c_cli.demo.general import general_leg

    demo = DemoRun(workdir, progress)
    started = time.perf_counter()
    with ExitStack() as stack:
        if auth == "general":
            servers = general_leg(demo, stack, _emulator_env)
        else:
            servers = _oauth_leg(demo, stack)
        if keep_servers:
            stack.pop_all()
            servers["pids"] = " ".join(str(s.proc.pid) for s in demo.servers)
    return DemoResult(tuple(demo.steps), demo.project, time.perf_counter() - started, servers)
