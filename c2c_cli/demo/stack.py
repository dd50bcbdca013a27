"""The demo's project and emulator, as both demo legs (OAuth 2.0, General Authorization) start them.

``c2c init`` against the running sandbox, then ``c2c emulator start`` with the project attached.
"""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from c2c_cli.demo.record import NAME, DemoRun

__all__ = ["project_and_emulator"]


def project_and_emulator(
    demo: DemoRun, stack: ExitStack, *, title: str, vendor_env: dict[str, str], template: str | None = None
) -> dict[str, Any]:
    """Scaffold ``demo.project`` and start the emulator (+ moto) running it; the emulator's start info.

    Args:
        demo: the demo in progress.
        stack: owns the emulator (it stops when the stack closes).
        title: the scaffold step's title.
        vendor_env: the connector's vendor variables (``VENDOR_API_URL`` first). They go into the
            commands' environment and reach the emulator by name (``--connector-env=NAME``), which keeps
            a client secret off every command line.
        template: ``c2c init --template`` (None: the default template).
    """
    chosen = ["--template", template] if template else []
    demo.c2c(
        title,
        "init",
        str(demo.project),
        *chosen,
        "--name",
        NAME,
        "--vendor-url",
        vendor_env["VENDOR_API_URL"],
        "--no-input",
        "--json",
        summary=lambda d: f"{len(d['files'])} files",
    )
    demo.runner.env.update(vendor_env)
    attached = [f"--connector-env={name}" for name in vendor_env]
    return demo.server(
        stack,
        "Start the emulator (+ moto)",
        "emulator",
        "start",
        "--json",
        "--port",
        "0",
        "--db",
        ":memory:",
        "--connector",
        str(demo.project),
        *attached,
    ).info
