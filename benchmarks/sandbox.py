"""Requests per second of the sandbox: ``GET /v1/devices?limit=100`` and the token endpoint.

The sandbox runs in its own process (``c2c sandbox start --json --port 0 --db :memory:``) on 127.0.0.1, so the
client does not share its GIL; each measurement is bounded by a request count and a time limit.
Usage: ``.venv/bin/python benchmarks/sandbox.py [--seconds 3] [--threads 1]``
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import requests

from c2c_cli.sandbox.browser import redirect_params


def _start() -> tuple[subprocess.Popen[str], dict]:
    cmd = [
        sys.executable,
        "-m",
        "c2c_cli",
        "sandbox",
        "start",
        "--json",
        "--port",
        "0",
        "--db",
        ":memory:",
        "--devices",
        "1000",
        "--auto-consent",
        "alice",
    ]
    env = {**os.environ, "C2C_HOME": os.environ.get("C2C_HOME", "/tmp/c2c-bench-home")}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    return proc, json.loads(proc.stdout.readline())


def _tokens(info: dict) -> dict:
    params = {
        "response_type": "code",
        "client_id": info["client_id"],
        "redirect_uri": "http://127.0.0.1:1/cb",
        "state": "bench",
    }
    location = requests.get(info["authorize_url"], params=params, allow_redirects=False, timeout=10).headers[
        "Location"
    ]
    data = {
        "grant_type": "authorization_code",
        "code": redirect_params(location)["code"],
        "redirect_uri": "http://127.0.0.1:1/cb",
    }
    return requests.post(
        info["token_url"], data=data, auth=(info["client_id"], info["client_secret"]), timeout=10
    ).json()


def _rate(call: Callable[[requests.Session], None], seconds: float, threads: int, max_requests: int) -> float:
    done = [0] * threads
    deadline = time.perf_counter() + seconds

    def worker(slot: int) -> None:
        with requests.Session() as session:
            while time.perf_counter() < deadline and done[slot] < max_requests // threads:
                call(session)
                done[slot] += 1

    start = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(done) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    proc, info = _start()
    try:
        token = _tokens(info)
        bearer = {"Authorization": f"Bearer {token['access_token']}"}
        url = f"{info['base_url']}/v1/devices"

        def list_page(session: requests.Session) -> None:
            response = session.get(url, params={"limit": 100}, headers=bearer, timeout=10)
            assert len(response.json()["devices"]) == 100

        refresh = [token["refresh_token"]]
        lock = threading.Lock()

        def token_call(session: requests.Session) -> None:
            with lock:  # rotation: each refresh token works once, so hand them out one at a time
                data = {"grant_type": "refresh_token", "refresh_token": refresh[0]}
                body = session.post(
                    info["token_url"], data=data, auth=(info["client_id"], info["client_secret"]), timeout=10
                ).json()
                refresh[0] = body["refresh_token"]

        devices_rate = _rate(list_page, args.seconds, args.threads, 20_000)
        token_rate = _rate(token_call, args.seconds, 1, 20_000)
        print(f"GET /v1/devices?limit=100: {devices_rate:8.1f} requests/s ({args.threads} client thread(s))")
        print(
            f"POST /oauth/token (refresh_token grant, rotation): {token_rate:8.1f} requests/s (1 client thread)"
        )
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)


if __name__ == "__main__":
    main()
