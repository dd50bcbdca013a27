"""``SendConnectorEvent`` bodies: the model, the per-event-type rules and the Matter lint (contract.md §4-5)."""

from __future__ import annotations

from typing import Any

from c2c_cli.contract.memo import Extra
from c2c_cli.contract.model import validate_shape
from c2c_cli.contract.rules import violation
from c2c_cli.violation import Violation

__all__ = ["EVENT_OPERATIONS", "check_event"]

EVENT_OPERATIONS = ("DEVICE_DISCOVERY", "DEVICE_COMMAND_RESPONSE", "DEVICE_EVENT", "DEVICE_COMMAND_REQUEST")

REQ, REC, OPT, UNUSED = "req", "rec", "opt", "-"
# contract.md §4.4, "Per-event-type field usage" (ConnectorDeviceId softened to a warning per issue #2:
# the official API examples omit it).
_USAGE: dict[str, dict[str, str]] = {
    "DEVICE_DISCOVERY": {
        "UserId": REC,
        "OperationVersion": REC,
        "StatusCode": REQ,
        "DeviceDiscoveryId": REQ,
        "Devices": REQ,
        "ConnectorDeviceId": UNUSED,
        "TraceId": UNUSED,
        "MatterEndpoint": UNUSED,
    },
    "DEVICE_COMMAND_RESPONSE": {
        "UserId": REC,
        "OperationVersion": REC,
        "StatusCode": REC,
        "DeviceDiscoveryId": UNUSED,
        "Devices": UNUSED,
        "ConnectorDeviceId": REC,
        "TraceId": REQ,
        "MatterEndpoint": REQ,
    },
    "DEVICE_EVENT": {
        "UserId": OPT,
        "OperationVersion": REC,
        "StatusCode": REC,
        "DeviceDiscoveryId": UNUSED,
        "Devices": UNUSED,
        "ConnectorDeviceId": REC,
        "TraceId": OPT,
        "MatterEndpoint": REQ,
    },
}


def check_event(body: Any, *, lenient: bool = False, path_connector_id: bool = True) -> list[Violation]:
    """Every violation of a SendConnectorEvent input.

    Args:
        body: the boto3-keyword form (``ConnectorId`` included) or a file's body form.
        lenient: relax Matter shape errors as contract.md §5.4 allows.
        path_connector_id: ``True`` when ``ConnectorId`` is the path parameter (emulator, boto3 kwargs);
            ``False`` for files, where ``ConnectorId`` may be absent or sit in the body (warned, §9 #7).
    """
    if not isinstance(body, dict):
        return validate_shape("SendConnectorEventRequest", body)
    doc = body
    out: list[Violation] = []
    if not path_connector_id:
        if "ConnectorId" in body:
            out.append(
                violation(
                    "event.connector-id-in-body",
                    "$.ConnectorId",
                    "ConnectorId is the URI parameter of SendConnectorEvent",
                    "pass it as boto3's ConnectorId keyword; c2c events send does",
                )
            )
        else:
            doc = {"ConnectorId": "placeholder", **body}
    operation = body.get("Operation")
    out.extend(_model_violations(doc, _DISCOVERY_EXTRAS if operation == "DEVICE_DISCOVERY" else ()))
    if operation == "DEVICE_COMMAND_REQUEST":
        out.append(
            violation(
                "event.command-request-undocumented",
                "$.Operation",
                "DEVICE_COMMAND_REQUEST has no documented payload",
                "only the model was checked",
            )
        )
    elif operation in _USAGE:
        out.extend(_usage(body, str(operation)))
        out.extend(_semantics(body, str(operation), lenient))
    return out


def _model_violations(doc: dict[str, Any], extras: tuple[tuple[str, Extra], ...]) -> list[Violation]:
    out = []
    for v in validate_shape("SendConnectorEventRequest", doc, extras=extras):
        if v.rule in ("MatterCommands", "MatterEvents") and isinstance(v.value, list):
            # contract.md §5.4 policy 1 / §9 #1: the developer guide prints a list; the model wants a map.
            out.append(
                violation(
                    "event.commands-list-shape",
                    v.path,
                    f"{v.message} (a list, the model wants a map)",
                    'send {"0x01": {...}} instead of [{"0x01": {...}}]',
                )
            )
        else:
            out.append(v)
    return out


def _usage(body: dict[str, Any], operation: str) -> list[Violation]:
    out = []
    for member, usage in _USAGE[operation].items():
        present = member in body
        if usage == REQ and not present:
            out.append(
                violation(
                    "event.required-member",
                    f"$.{member}",
                    f"{operation} needs {member}",
                    f"add {member} (contract.md §4.4)",
                )
            )
        elif usage == REC and not present:
            rule = (
                "event.connector-device-id" if member == "ConnectorDeviceId" else "event.recommended-member"
            )
            out.append(
                violation(
                    rule,
                    f"$.{member}",
                    f"{operation} should carry {member}",
                    f"add {member} (contract.md §4.4)",
                )
            )
        elif usage == UNUSED and present:
            out.append(
                violation(
                    "event.unexpected-member",
                    f"$.{member}",
                    f"{operation} does not use {member}",
                    "remove it",
                )
            )
    return out


def _report_checks(report: dict[str, Any], path: str) -> list[Violation]:
    """What a discovered device's CapabilityReport must pass beyond the model: attribute ids, Matter lint.

    Run inside the model walk, memoised per distinct report (:mod:`.memo`): a discovery repeats device models.
    """
    from c2c_cli.matter import lint_capability_report

    return _attribute_ids(report, path) + lint_capability_report(report, path)


# contract.md §4.5: every CapabilityReport of a DEVICE_DISCOVERY is also Matter-linted.
_DISCOVERY_EXTRAS: tuple[tuple[str, Extra], ...] = (("MatterCapabilityReport", _report_checks),)


def _semantics(body: dict[str, Any], operation: str, lenient: bool) -> list[Violation]:
    from c2c_cli.matter import lint_matter_endpoint

    out = _status(body, operation)
    if operation == "DEVICE_DISCOVERY":
        out.extend(_devices(body.get("Devices")))
    else:
        endpoint = body.get("MatterEndpoint")
        if isinstance(endpoint, dict):
            # Command echoes in a response may carry result fields: type-check only (matter lint).
            response = operation == "DEVICE_COMMAND_RESPONSE"
            out.extend(
                lint_matter_endpoint(endpoint, "$.MatterEndpoint", lenient=lenient, command_response=response)
            )
    return out


def _status(body: dict[str, Any], operation: str) -> list[Violation]:
    code = body.get("StatusCode")
    if not isinstance(code, int) or isinstance(code, bool):
        return []
    if operation == "DEVICE_DISCOVERY" and not (code == 200 or 300 <= code <= 399 or code >= 400):
        return [
            violation(
                "event.discovery-status",
                "$.StatusCode",
                f"{code} is neither 200, 3xx nor an error",
                "send 3xx for every page but the last and 200 on the last (contract.md §3.2)",
            )
        ]
    if operation != "DEVICE_DISCOVERY" and code != 200:
        return [
            violation(
                "event.status-code",
                "$.StatusCode",
                f"StatusCode {code} reports a failure",
                "use 200 for success",
            )
        ]
    return []


def _devices(devices: Any) -> list[Violation]:
    if not isinstance(devices, list):
        return []
    out = []
    if not devices:
        out.append(
            violation(
                "event.empty-discovery",
                "$.Devices",
                "no devices reported",
                "fine for an account without devices; otherwise check the vendor call",
            )
        )
    seen: set[str] = set()
    for i, device in enumerate(devices):
        if not isinstance(device, dict):
            continue
        device_id = device.get("ConnectorDeviceId")
        if isinstance(device_id, str) and device_id in seen:
            out.append(
                violation(
                    "event.duplicate-device",
                    f"$.Devices[{i}].ConnectorDeviceId",
                    f"device {device_id} is reported twice",
                    "report each device once",
                )
            )
        seen.add(str(device_id))
    return out


def _attribute_ids(report: dict[str, Any], path: str) -> list[Violation]:
    out = []
    for e, endpoint in enumerate(_list(report.get("endpoints"))):
        for c, cluster in enumerate(_list(endpoint.get("clusters") if isinstance(endpoint, dict) else None)):
            attributes = cluster.get("attributes") if isinstance(cluster, dict) else None
            for a, attribute in enumerate(_list(attributes)):
                if isinstance(attribute, dict) and "id" not in attribute:
                    out.append(
                        violation(
                            "event.attribute-id",
                            f"{path}.endpoints[{e}].clusters[{c}].attributes[{a}]",
                            "attribute without an id",
                            'add the Matter attribute id, e.g. "0x0000"',
                        )
                    )
    return out


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
