"""``c2c demo --auth general``: the short General Authorization leg (contract.md §1, §2.2, §7.1).

A sandbox, ``c2c init --template general-auth``, the emulator with the project attached, ``c2c register
--yes`` (the KMS key, the API key as the material's secret with its resource policy, the cloud connector
and the destination with ``AuthConfig.GeneralAuthorization``), ``c2c link --material`` (no browser: the
service activates the user with the secret), and a customer command. The API key reaches c2c register
only through the material's ``secret_env`` variable and then lives in moto: it is on no command line and
in no step's output.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from c2c_cli.demo.record import USER, DemoRun, Step
from c2c_cli.demo.stack import project_and_emulator

__all__ = ["MATERIAL", "general_leg"]

MATERIAL = "vendor-api-key"


def _stack(demo: DemoRun, stack: ExitStack) -> tuple[dict[str, Any], dict[str, Any]]:
    sandbox = demo.server(
        stack, "Start the vendor sandbox", "sandbox", "start", "--json", "--port", "0", "--db", ":memory:"
    ).info
    emulator = project_and_emulator(
        demo,
        stack,
        title="Scaffold a General Authorization connector",
        vendor_env={"VENDOR_API_URL": sandbox["base_url"]},
        template="general-auth",
    )
    return sandbox, emulator


def _register(demo: DemoRun, sandbox: dict[str, Any]) -> str:
    """``c2c register --yes``: the KMS key, the material's secret and its policy, connector, destination."""
    import json

    user_id = next(u["user_id"] for u in sandbox["users"] if u["username"] == USER)
    # The material's secret_env (c2c.yaml); only c2c register's process reads it, nothing prints it.
    demo.runner.env["VENDOR_API_KEY_SECRET"] = json.dumps({"api_key": sandbox["api_key"], "user_id": user_id})
    registered = demo.c2c(
        "Register: KMS key, secret + policy, connector, destination",
        "register",
        "--project",
        str(demo.project),
        "--yes",
        "--json",
        summary=lambda d: f"destination {d['state']['destination_id']} (material {MATERIAL})",
    )
    return str(registered["state"]["destination_id"])


def general_leg(
    demo: DemoRun, stack: ExitStack, emulator_env: Callable[[dict[str, Any]], dict[str, str]]
) -> dict[str, str]:
    """Run the leg; the servers' URLs (they stop when ``stack`` closes).

    Args:
        demo: the demo in progress.
        stack: owns the servers.
        emulator_env: turns the emulator's start info into the ``AWS_*`` environment (``lifecycle``).
    """
    from c2c_cli.aws.customer import customer_client, wait_for_property

    sandbox, emulator = _stack(demo, stack)
    demo.runner.env.update(emulator_env(emulator))
    destination = _register(demo, sandbox)
    linked = demo.c2c(
        "Link with the API key and discover (no browser)",
        "link",
        "--destination",
        destination,
        "--material",
        MATERIAL,
        "--things",
        "--json",
        summary=lambda d: f"{d['association']['state']}, {len(d['devices'])} devices onboarded",
    )
    light = next(
        (d for d in linked["devices"] if any("Light" in t for t in d.get("device_types") or ())),
        linked["devices"][0],
    )
    iot = customer_client(demo.runner.env)
    for action, expected in (("Off", False), ("On", True)):
        demo.progress(f"Send matter.OnOff {action} to the managed thing")
        send = ("matter.OnOff@1.4", action)
        seconds, value = wait_for_property(iot, str(light["managed_thing_id"]), "OnOff", expected, send=send)
        demo.steps.append(
            Step(
                f"Customer command matter.OnOff {action}",
                "boto3 send_managed_thing_command",
                seconds,
                f"thing state OnOff={value}",
            )
        )
    return {
        "sandbox": sandbox["base_url"],
        "emulator": emulator["endpoint_url"],
        "moto": str(emulator.get("aws_endpoint_url")),
    }
