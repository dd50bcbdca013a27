"""The HTTP binding of every operation, read from the generated model (botocore-model-notes.md §2).

Each ``requestUri`` becomes a regex (``{Label}`` → a named group of one path segment). A request is then:
path labels + query-string members (by wire name) + a JSON body holding the other input members. No
operation in this model binds headers, uses a payload member or a greedy label (verified in the notes).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, unquote

from c2c_cli.emulator.http.errors import SIGNATURE_ERRORS, ApiError

_LOG = logging.getLogger("c2c.emulator")

__all__ = ["Route", "error_status", "find_route", "parse_params", "routes", "status_of"]


@dataclass(frozen=True)
class Route:
    """One operation's binding.

    Attributes:
        operation: the operation name, e.g. ``SendConnectorEvent``.
        method: HTTP method.
        pattern: compiled path regex with one named group per URI label.
        status: the model's success code.
        errors: modeled error codes of the operation.
        query: wire name → member name of the query-string members.
        input_shape: input shape name (or None).
        output_shape: output shape name (or None for an empty output).
    """

    operation: str
    method: str
    pattern: re.Pattern[str]
    status: int
    errors: frozenset[str]
    query: dict[str, str]
    input_shape: str | None
    output_shape: str | None


def _model() -> dict[str, Any]:
    from c2c_cli.contract import model

    return model()


def _compile(uri: str) -> re.Pattern[str]:
    path = uri.split("?", 1)[0]
    parts = re.split(r"(\{[A-Za-z0-9_]+\})", path)
    regex = "".join(
        f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts
    )
    return re.compile(f"{regex}/?")


@cache
def routes() -> tuple[Route, ...]:
    """Every operation of the model as a :class:`Route`, literal paths before labelled ones."""
    out = []
    for name, op in _model()["x-operations"].items():
        http = op["http"]
        query = {
            loc["name"]: member for member, loc in op["locations"].items() if loc["location"] == "querystring"
        }
        out.append(
            Route(
                name,
                http["method"],
                _compile(http["requestUri"]),
                int(http.get("responseCode", 200)),
                frozenset(op["errors"]),
                query,
                op["input"],
                op["output"],
            )
        )
    # /managed-thing-associations/register must win over /managed-thing-associations/{Id}.
    return tuple(sorted(out, key=lambda r: r.pattern.pattern.count("(?P<")))


@cache
def _by_method() -> dict[str, tuple[Route, ...]]:
    """:func:`routes` by HTTP method, in the same order."""
    out: dict[str, list[Route]] = {}
    for route in routes():
        out.setdefault(route.method, []).append(route)
    return {method: tuple(found) for method, found in out.items()}


def find_route(method: str, path: str) -> Route:
    """The route for a request.

    Raises:
        ApiError: ``UnknownOperationException`` (404) when no operation has this method and path.
    """
    for route in _by_method().get(method, ()):
        if route.pattern.fullmatch(path):
            return route
    raise ApiError(
        "UnknownOperationException", f"no operation of iot-managed-integrations at {method} {path}"
    )


@cache
def error_status(code: str) -> int | None:
    """The model's HTTP status of an error code, None when the model has no such error."""
    entry = _model()["x-errors"].get(code)
    return int(entry["status"]) if entry else None


def status_of(exc: ApiError, route: Route | None) -> int:
    """The HTTP status of an error answer; an error the operation does not model becomes a 500.

    Handlers raise only error codes the model lists for their operation; anything else is rewritten to
    ``InternalServerException`` (in place) so a bug cannot leak an unmodeled code.
    """
    if exc.status is not None:
        return exc.status
    if exc.code in SIGNATURE_ERRORS:
        return SIGNATURE_ERRORS[exc.code]
    status = error_status(exc.code)
    if status is None or (route is not None and exc.code not in route.errors):
        _LOG.error("unmodeled error %s for %s: %s", exc.code, route and route.operation, exc.message)
        exc.code, exc.message, exc.fields = "InternalServerException", "internal error", {}
        return 500
    return status


def _member_type(shape_name: str | None, member: str) -> str | None:
    if shape_name is None:
        return None
    defs = _model()["$defs"]
    ref = defs[shape_name].get("properties", {}).get(member, {}).get("$ref", "")
    kind = defs.get(ref.rsplit("/", 1)[-1], {}).get("type")
    return kind if isinstance(kind, str) else None


def _query_value(route: Route, member: str, raw: str) -> Any:
    # Query strings are text; the model's integers (MaxResults) are converted so validation sees the
    # value boto3 would have passed. A non-number stays a string and fails validation with its path.
    if _member_type(route.input_shape, member) == "integer" and re.fullmatch(r"-?[0-9]+", raw):
        return int(raw)
    return raw


def parse_params(route: Route, path: str, query_string: str, body: bytes) -> dict[str, Any]:
    """boto3-keyword parameters of a request: body members, then query and path members.

    Raises:
        ApiError: ``ValidationException`` when the body is not a JSON object.
    """
    params: dict[str, Any] = {}
    if body.strip():
        try:
            decoded = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise ApiError("ValidationException", "request body is not valid JSON") from None
        if not isinstance(decoded, dict):
            raise ApiError("ValidationException", "request body must be a JSON object")
        params.update(decoded)
    for wire, raw in parse_qsl(query_string, keep_blank_values=True):
        member = route.query.get(wire, wire)
        params[member] = _query_value(route, member, raw)
    match = route.pattern.fullmatch(path)
    if match:
        params.update({k: unquote(v) for k, v in match.groupdict().items()})
    return params
