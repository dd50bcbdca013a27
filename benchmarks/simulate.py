"""Wall time of ``c2c simulate discover`` and the simulator's own overhead over a bare handler call.

Renders the oauth2 template into a temporary directory, then:

- whole process: ``python -m c2c_cli simulate discover --sandbox --sandbox-devices N --json`` (process
  start to exit: imports, emulator, sandbox seeding, the OAuth flow, the connector's cold discovery, event
  capture and checks, shutdown) for N = 10, 1,000 and 10,000 devices; median and min of ``--runs`` runs
  (one run for the larger sizes);
- overhead: in one process with the sandbox running, the template's handler called bare (same request,
  same emulator) vs. ``Simulator.discover()`` (request building, thread, capture, waiting, checks),
  ``--calls`` warm calls each, median ms and the difference.

Usage: ``.venv/bin/python benchmarks/simulate.py [--runs 3] [--calls 20] [--sizes 10,1000,10000]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from c2c_cli.scaffold import render_project


def _whole_process(project: Path, devices: int, runs: int) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    command = [
        sys.executable,
        "-m",
        "c2c_cli",
        "simulate",
        "discover",
        "--sandbox",
        "--sandbox-devices",
        str(devices),
        "--json",
    ]
    times, summary = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            command, cwd=project, env=env, capture_output=True, text=True, timeout=180, check=False
        )
        times.append(time.perf_counter() - started)
        data = json.loads(done.stdout) if done.stdout.strip().startswith("{") else {}
        reported = sum(len(e["body"].get("Devices", [])) for e in data.get("events", []))
        code = (data.get("ack") or {}).get("header", {}).get("responseCode")
        summary = f"exit {done.returncode}, ACK {code}, {reported} devices in {len(data.get('events', []))} events, connector {data.get('timings', {}).get('cold_ms')} ms"
    print(
        f"c2c simulate discover, {devices:>6} devices: median {statistics.median(times):.2f} s, min {min(times):.2f} s over {runs} run(s) ({summary})"
    )


def _overhead(project: Path, calls: int) -> None:
    from c2c_cli.runtime.loader import HandlerLoader
    from c2c_cli.simulate import SandboxOptions, SessionOptions, simulation
    from c2c_cli.simulate.messages import discovery_request, new_discovery_id

    with simulation(project, SessionOptions(sandbox=SandboxOptions(devices_per_user=10))) as sim:
        env = sim.environment
        sim.discover()  # warm the simulator's target
        loader = HandlerLoader(project, "connector.handler:lambda_handler")
        bare = []
        for _ in range(calls):
            discovery_id = new_discovery_id()
            env.expect_discovery(discovery_id)
            request = discovery_request(env.credentials.header(), env.connector_id, discovery_id)
            with loader.active(env.env) as resolve:
                handler = resolve()
                started = time.perf_counter()
                handler(request, None)
                bare.append((time.perf_counter() - started) * 1000)
        simulated = []
        for _ in range(calls):
            started = time.perf_counter()
            sim.discover()
            simulated.append((time.perf_counter() - started) * 1000)
    bare_ms, sim_ms = statistics.median(bare[1:]), statistics.median(simulated)
    print(
        f"bare handler call (warm DiscoverDevices, 10 devices): median {bare_ms:.1f} ms over {calls - 1} calls"
    )
    print(f"Simulator.discover() (same, with capture and checks): median {sim_ms:.1f} ms over {calls} calls")
    print(f"simulator overhead: {sim_ms - bare_ms:.1f} ms per operation")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--sizes", default="10,1000,10000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "bench"
        render_project("oauth2", project, name="bench")
        for size in (int(s) for s in args.sizes.split(",")):
            _whole_process(project, size, args.runs if size <= 10 else 1)
        _overhead(project, args.calls)


if __name__ == "__main__":
    main()
