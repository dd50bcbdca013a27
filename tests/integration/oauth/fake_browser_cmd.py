"""A ``$BROWSER`` command for CLI and e2e tests: sign in on the sandbox page and follow the redirect.

Usage: ``python fake_browser_cmd.py URL``. Environment:
``FAKE_BROWSER_USERS`` ("alice:alice-password,bob:bob-password", one per sign-in, the last repeats),
``FAKE_BROWSER_COUNTER`` (a file counting sign-ins, so successive sign-ins pick successive users),
``FAKE_BROWSER_CONSENT`` ("deny" to refuse), ``FAKE_BROWSER_TAMPER`` ("state" to forge the state),
``FAKE_BROWSER_IDLE`` ("1": open nothing, like a user who never signs in).
It prints nothing (it shares the terminal of the c2c process) and exits non-zero on failure.
"""

import os
import sys
from pathlib import Path

import requests

from c2c_cli.sandbox.browser import login_and_consent


def main(url: str) -> int:
    if os.environ.get("FAKE_BROWSER_IDLE") == "1":
        return 0
    users = [u.split(":", 1) for u in os.environ["FAKE_BROWSER_USERS"].split(",")]
    counter = Path(os.environ["FAKE_BROWSER_COUNTER"])
    count = int(counter.read_text()) if counter.exists() else 0
    counter.write_text(str(count + 1))
    username, password = users[min(count, len(users) - 1)]
    consent = os.environ.get("FAKE_BROWSER_CONSENT", "allow") != "deny"
    location = login_and_consent(url, username, password, consent=consent)
    if os.environ.get("FAKE_BROWSER_TAMPER") == "state":
        location = location.replace("state=", "state=forged")
    requests.get(location, timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
