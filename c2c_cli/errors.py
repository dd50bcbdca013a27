"""The one error tree of c2c and its exit codes (STYLE.md §3).

Every package raises a subclass of :class:`C2CError`; third-party exceptions are translated at the
package's edge (``raise AwsError(...) from exc``). Only ``c2c_cli.cli`` turns them into output and an
exit code. This module imports nothing else from ``c2c_cli``.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = [
    "AuthError",
    "AwsError",
    "C2CError",
    "ConfigError",
    "ContractError",
    "ExitCode",
    "UsageError",
]


class ExitCode(IntEnum):
    """Process exit codes, one meaning each."""

    OK = 0
    FAILURE = 1
    USAGE = 2
    VIOLATIONS = 3
    AUTH = 4
    AWS = 5


class C2CError(Exception):
    """Base of every user-facing error.

    Args:
        message: one line saying what went wrong.
        hint: optional next step for the user.
    """

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(C2CError):
    """Bad flag, bad argument or unreadable input."""

    exit_code = ExitCode.USAGE


class ConfigError(UsageError):
    """Invalid ``c2c.yaml`` or settings; carries every problem found, not just the first.

    Args:
        problems: each a one-line description with key path and line number.
        source: the file the problems were found in.
    """

    def __init__(self, problems: list[str], *, source: str, hint: str | None = None) -> None:
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        body = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {count} {noun}\n{body}", hint=hint)
        self.problems = list(problems)
        self.source = source


class ContractError(C2CError):
    """Contract violations found where an exception is the only way out (e.g. a refused send)."""

    exit_code = ExitCode.VIOLATIONS


class AuthError(C2CError):
    """Authentication or OAuth failure."""

    exit_code = ExitCode.AUTH


class AwsError(C2CError):
    """An AWS or emulator API call failed; keeps the operation name and the AWS error code.

    Args:
        message: what failed.
        operation: the API operation, e.g. ``CreateCloudConnector``.
        code: the AWS error code, e.g. ``ThrottlingException``.
    """

    exit_code = ExitCode.AWS

    def __init__(self, message: str, *, operation: str = "", code: str = "", hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.operation = operation
        self.code = code
