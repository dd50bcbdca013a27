"""The customer's side of the lifecycle (``c2c link``): link an account, discover, onboard devices.

contract.md §1 steps 3-11 as a customer app performs them with boto3, against AWS or ``c2c emulator``
alike: ``CreateAccountAssociation`` (or an existing association), hand the ``OAuthAuthorizationUrl`` to
the end user, poll ``GetAccountAssociation`` until ``ASSOCIATION_SUCCEEDED``, ``StartDeviceDiscovery``
(``CLOUD``), poll ``GetDeviceDiscovery`` until it leaves ``RUNNING``, ``ListDiscoveredDevices``, and
optionally ``CreateManagedThing`` + ``RegisterAccountAssociation`` for each device. Clients, the browser
opener, progress reporting, clock and sleep are injected; nothing here prints.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from c2c_cli.aws.link import SUCCEEDED, Association, LinkRequest, link_account
from c2c_cli.aws.observe import list_all
from c2c_cli.aws.session import call
from c2c_cli.errors import AuthError, AwsError

if TYPE_CHECKING:
    from types_boto3_iot_managed_integrations.type_defs import CapabilityActionTypeDef, CommandEndpointTypeDef

    from c2c_cli.aws.session import IotClient

__all__ = [
    "CustomerOptions",
    "DiscoveredDevice",
    "LinkOutcome",
    "customer_client",
    "link_and_discover",
    "send_thing_command",
    "thing_state",
    "wait_for_property",
]


@dataclass(frozen=True)
class CustomerOptions:
    """What ``c2c link`` does.

    Attributes:
        destination_id: the connector destination to link against.
        association_id: reuse this association instead of creating one.
        name: the new association's ``Name``.
        create_things: create and register a managed thing per discovered device.
        link_timeout: seconds to wait for the end user to link.
        discovery_timeout: seconds to wait for the discovery to finish.
        interval: polling interval in seconds.
        material: the General Authorization auth material a new association uses.
    """

    destination_id: str | None = None
    association_id: str | None = None
    name: str | None = None
    create_things: bool = False
    link_timeout: float = 300.0
    discovery_timeout: float = 120.0
    interval: float = 1.0
    material: str | None = None


@dataclass(frozen=True)
class DiscoveredDevice:
    """One ``ListDiscoveredDevices`` item (and the managed thing ``c2c link`` made for it)."""

    connector_device_id: str
    name: str | None
    device_types: tuple[str, ...]
    modification: str | None
    managed_thing_id: str | None
    authentication_material: str = field(repr=False, default="")

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` item (the authentication material is sensitive in the model: left out)."""
        return {
            "connector_device_id": self.connector_device_id,
            "name": self.name,
            "device_types": list(self.device_types),
            "modification": self.modification,
            "managed_thing_id": self.managed_thing_id,
        }


@dataclass(frozen=True)
class LinkOutcome:
    """The association, the discovery and the devices."""

    association_id: str
    association_state: str
    discovery_id: str
    discovery_status: str
    devices: tuple[DiscoveredDevice, ...]

    def to_json(self) -> dict[str, Any]:
        """The documented ``c2c link --json`` shape."""
        return {
            "association": {"id": self.association_id, "state": self.association_state},
            "discovery": {"id": self.discovery_id, "status": self.discovery_status},
            "devices": [d.to_json() for d in self.devices],
        }


Progress = Callable[[str], None]


def _linked(
    iot: IotClient, options: CustomerOptions, opener: Callable[[str], None], progress: Progress, **wait: Any
) -> Association:
    request = LinkRequest(
        options.destination_id,
        options.association_id,
        options.name or "c2c-link",
        options.link_timeout,
        options.interval,
        options.material,
    )
    current = link_account(iot, request, opener=opener, progress=progress, **wait)
    if current.state != SUCCEEDED:
        raise AuthError(
            f"account association {current.association_id} is {current.state}"
            + (f": {current.error}" if current.error else ""),
            hint="Open the URL again, or run c2c link --association ID after StartAccountAssociationRefresh.",
        )
    return current


def _discover(
    iot: IotClient,
    association_id: str,
    options: CustomerOptions,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
) -> tuple[str, str]:
    started = call(
        iot.start_device_discovery,
        DiscoveryType="CLOUD",
        AccountAssociationId=association_id,
        ClientToken=secrets.token_hex(16),
    )
    deadline = clock() + options.discovery_timeout
    status = "RUNNING"
    while status == "RUNNING" and clock() < deadline:
        sleep(options.interval)
        status = call(iot.get_device_discovery, Identifier=started["Id"])["Status"]
    if status != "SUCCEEDED":
        raise AwsError(
            f"device discovery {started['Id']} ended {status}",
            operation="GetDeviceDiscovery",
            code=f"Discovery{status.title().replace('_', '')}",
            hint="c2c emulator events shows the connector's invocations and events.",
        )
    return str(started["Id"]), status


def _onboard(iot: IotClient, item: dict[str, Any], association_id: str, discovery_id: str) -> str:
    thing = item.get("ManagedThingId")
    if not thing:
        thing = call(
            iot.create_managed_thing,
            Role="DEVICE",
            AuthenticationMaterial=item["AuthenticationMaterial"],
            AuthenticationMaterialType="DISCOVERED_DEVICE",
            **({"Name": item["ConnectorDeviceName"]} if item.get("ConnectorDeviceName") else {}),
        )["Id"]
    call(
        iot.register_account_association,
        ManagedThingId=thing,
        AccountAssociationId=association_id,
        DeviceDiscoveryId=discovery_id,
    )
    return str(thing)


def link_and_discover(
    iot: IotClient,
    options: CustomerOptions,
    *,
    opener: Callable[[str], None],
    progress: Progress,
    sleep: Callable[[float], None],
    clock: Callable[[], float],
) -> LinkOutcome:
    """Link (or reuse) an association, discover its devices, optionally onboard them.

    Raises:
        AuthError: the association did not reach ``ASSOCIATION_SUCCEEDED``.
        AwsError: an API call failed, or the discovery ended ``FAILED``/``TIMED_OUT``.
    """
    association = _linked(iot, options, opener, progress, sleep=sleep, clock=clock)
    progress("Discovering devices")
    discovery_id, status = _discover(iot, association.association_id, options, sleep, clock)
    devices = []
    for item in list_all(iot.list_discovered_devices, "Items", Identifier=discovery_id):
        thing = item.get("ManagedThingId")
        if options.create_things:
            progress(f"Onboarding {item['ConnectorDeviceId']}")
            thing = _onboard(iot, item, association.association_id, discovery_id)
        devices.append(
            DiscoveredDevice(
                str(item["ConnectorDeviceId"]),
                item.get("ConnectorDeviceName"),
                tuple(item.get("DeviceTypes") or ()),
                item.get("Modification"),
                thing,
                str(item.get("AuthenticationMaterial") or ""),
            )
        )
    return LinkOutcome(association.association_id, association.state, discovery_id, status, tuple(devices))


def send_thing_command(
    iot: IotClient, thing_id: str, capability: str, action: str, parameters: dict[str, Any] | None = None
) -> str:
    """``SendManagedThingCommand`` of one customer-side action (e.g. ``matter.OnOff@1.4`` ``On``); its TraceId."""
    act: CapabilityActionTypeDef = {"name": action}
    if parameters:
        act["parameters"] = parameters
    name = capability.split("@", 1)[0].rsplit(".", 1)[-1]
    # contract.md §7.2: the capability id carries the schema version (matter.OnOff@1.4); `version` is the
    # capability's integer version (CapabilityVersion (0|[1-9][0-9]*)).
    endpoint: CommandEndpointTypeDef = {
        "endpointId": "1",
        "capabilities": [{"id": capability, "name": name, "version": "1", "actions": [act]}],
    }
    response = call(iot.send_managed_thing_command, ManagedThingId=thing_id, Endpoints=[endpoint])
    return str(response["TraceId"])


def thing_state(iot: IotClient, thing_id: str) -> list[dict[str, Any]]:
    """``GetManagedThingState``: the thing's endpoints as the connector last reported them."""
    response = call(iot.get_managed_thing_state, ManagedThingId=thing_id)
    return list(response.get("Endpoints") or [])


def customer_client(env: dict[str, str]) -> IotClient:
    """A customer's ``iot-managed-integrations`` client from explicit settings (``AWS_*`` names)."""
    import boto3
    from botocore.config import Config

    region = env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1"
    client: IotClient = boto3.client(
        "iot-managed-integrations",
        region_name=region,
        endpoint_url=env.get("AWS_ENDPOINT_URL_IOT_MANAGED_INTEGRATIONS") or None,
        aws_access_key_id=env.get("AWS_ACCESS_KEY_ID"),
        aws_secret_access_key=env.get("AWS_SECRET_ACCESS_KEY"),
        config=Config(retries={"mode": "standard"}),
    )
    return client


def _property(endpoints: list[dict[str, Any]], name: str) -> Any:
    """The value of property ``name`` in ``GetManagedThingState`` endpoints (``properties`` is a document)."""
    for endpoint in endpoints:
        for capability in endpoint.get("capabilities") or []:
            properties = capability.get("properties")
            if isinstance(properties, dict) and name in properties:
                return properties[name]
    return None


def wait_for_property(
    iot: IotClient,
    thing_id: str,
    name: str,
    expected: Any,
    *,
    send: tuple[str, str] | None = None,
    timeout: float = 10.0,
    sleep: Callable[[float], None] | None = None,
) -> tuple[float, Any]:
    """Optionally send an action, then poll the thing's state until ``name`` equals ``expected``.

    Returns:
        (seconds taken, the last value seen).
    """
    import time

    pause = sleep or time.sleep
    started = time.perf_counter()
    if send is not None:
        send_thing_command(iot, thing_id, *send)
    value = _property(thing_state(iot, thing_id), name)
    while value != expected and time.perf_counter() - started < timeout:
        pause(0.05)
        value = _property(thing_state(iot, thing_id), name)
    return time.perf_counter() - started, value
