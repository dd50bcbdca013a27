"""The real browser opener for the CLI: ``$BROWSER`` if set, else the desktop browser, else none (headless)."""

from __future__ import annotations

import os
import shlex
import sys
import webbrowser
from collections.abc import Mapping

from c2c_cli.oauth.flow import Opener

__all__ = ["is_headless", "system_opener"]


def is_headless(environ: Mapping[str, str]) -> bool:
    """An SSH session, or Linux without a display: a browser here would not reach the user."""
    if environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"):
        return True
    return sys.platform.startswith("linux") and not (environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def system_opener(environ: Mapping[str, str] | None = None) -> Opener | None:
    """The opener for this machine, or ``None`` when no browser can be opened.

    ``$BROWSER`` follows Python's :mod:`webbrowser` convention (commands separated by ``os.pathsep``,
    ``%s`` replaced by the URL, appended when absent) and is honoured even when headless: it is how a
    user (or a test) names a browser explicitly. A console browser (lynx...) is never picked implicitly.
    """
    env = os.environ if environ is None else environ
    if commands := env.get("BROWSER", "").strip():
        return _command_opener(commands)
    if is_headless(env):
        return None
    return _desktop_open


def _desktop_open(url: str) -> bool:
    try:
        return webbrowser.open(url, new=1)
    except webbrowser.Error:
        return False


def _command_opener(commands: str) -> Opener:
    def open_url(url: str) -> bool:
        for command in filter(None, commands.split(os.pathsep)):
            args = shlex.split(command)
            if "%s" not in command:
                args.append("%s")
            if webbrowser.GenericBrowser(args).open(url):
                return True
        return False

    return open_url
