"""AWS-style API errors and how they go on the wire (contract.md §8.2).

Handlers raise :class:`ApiError`; the WSGI app turns it into the rest-json error botocore parses:
status from the model's ``x-errors`` table, ``x-amzn-ErrorType`` header, ``Message`` in the body.
"""

from __future__ import annotations

from typing import Any

from c2c_cli.errors import C2CError, ExitCode

__all__ = ["SIGNATURE_ERRORS", "ApiError", "EmulatorError", "not_found"]

# Not in the service model: the SigV4 front door answers these for every operation (contract.md §8.2).
SIGNATURE_ERRORS: dict[str, int] = {
    "InvalidSignatureException": 403,
    "UnrecognizedClientException": 403,
    "MissingAuthenticationTokenException": 403,
    "IncompleteSignatureException": 403,
    # Emulator-only: a route that exists in the model but is not emulated, or no route at all.
    "UnknownOperationException": 404,
}


class EmulatorError(C2CError):
    """No running emulator found, or it could not be reached or answered an error (an emulator API error)."""

    exit_code = ExitCode.AWS


class ApiError(Exception):
    """An error answer of the emulated API.

    Args:
        code: the AWS error code (a model error shape name or one of :data:`SIGNATURE_ERRORS`).
        message: the ``Message`` member.
        fields: extra modeled members (``ResourceId``, ``ResourceType``).
    """

    def __init__(self, code: str, message: str, **fields: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.fields = fields
        # Contract violations behind a ValidationException (logged, not sent: the message lists them).
        self.violations: list[Any] = []
        self.logged = False  # already written to the event log
        self.status: int | None = None  # an HTTP status other than the model's (413: body too large)

    def body(self) -> dict[str, Any]:
        """The JSON body: ``Message`` plus the modeled members."""
        return {"Message": self.message, **self.fields}


def not_found(resource_type: str, resource_id: str) -> ApiError:
    """A ``ResourceNotFoundException`` naming the resource (contract.md §8.2 recipe)."""
    return ApiError(
        "ResourceNotFoundException",
        f"{resource_type} {resource_id} not found",
        ResourceId=resource_id,
        ResourceType=resource_type,
    )
