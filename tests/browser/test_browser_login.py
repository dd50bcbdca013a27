"""``c2c oauth login`` in a real headless Chromium: authorize page, login form, consent, loopback callback.

Marked ``browser``. ``make test`` (and ``make test-browser``) install Debian's chromium + chromium-driver when
chromedriver is missing and set ``C2C_REQUIRE_BROWSER=1``, so there a missing browser is a failure, never a
skip. A bare ``pytest`` elsewhere skips it, with the reason shown.
"""

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from c2c_cli.sandbox import SandboxSettings, start_sandbox

CMD = Path(__file__).with_name("chromium_cmd.py")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")

REQUIRED = os.environ.get("C2C_REQUIRE_BROWSER") == "1"


def _missing() -> str | None:
    if not (Path(CHROMIUM).exists() and shutil.which(CHROMEDRIVER)):
        return "Chromium and chromedriver are not installed (make test installs them)"
    if subprocess.run([sys.executable, "-c", "import selenium"], capture_output=True).returncode != 0:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


MISSING = _missing()
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(MISSING is not None and not REQUIRED, reason=str(MISSING)),
]


@pytest.fixture(autouse=True)
def _browser_present() -> None:
    if MISSING is not None:  # only reached with C2C_REQUIRE_BROWSER=1: make test must not skip this
        pytest.fail(f"C2C_REQUIRE_BROWSER=1 but {MISSING}")


def test_oauth_login_in_headless_chromium_stores_the_token(tmp_path: Path) -> None:
    with start_sandbox(SandboxSettings(port=0, db=":memory:", users=("alice",))) as sb:
        info = sb.info
        project = tmp_path / "project"
        project.mkdir()
        oauth = {
            "authorization_url": info["authorize_url"],
            "token_url": info["token_url"],
            "revocation_url": info["revoke_url"],
            "client_id": info["client_id"],
            "client_secret_env": "SANDBOX_SECRET",
            "token_endpoint_auth": info["token_endpoint_auth"],
        }
        body = "".join(f"  {k}: {v}\n" for k, v in oauth.items())
        (project / "c2c.yaml").write_text(f"connector:\n  name: acme\noauth:\n{body}")
        (alice,) = info["users"]
        env = {
            **os.environ,
            "C2C_HOME": str(tmp_path / "home"),
            "SANDBOX_SECRET": info["client_secret"],
            "BROWSER": f"{sys.executable} {CMD} %s",
            "BROWSER_USER": alice["username"],
            "BROWSER_PASSWORD": alice["password"],
            "BROWSER_SCREENSHOT": str(tmp_path / "callback.png"),
        }
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "c2c_cli",
                "oauth",
                "login",
                "--project",
                str(project),
                "--timeout",
                "60",
                "--json",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["user_id"] == alice["user_id"]
        store = tmp_path / "home" / "tokens.json"
        assert stat.S_IMODE(store.stat().st_mode) == 0o600
        assert json.loads(store.read_text())["profiles"]["default"]["access_token"]
        assert (tmp_path / "callback.png").stat().st_size > 0
