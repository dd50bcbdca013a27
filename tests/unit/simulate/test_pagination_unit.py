"""Discovery across invocations: the page checks and the discovery summary (issue 16)."""

from __future__ import annotations

from typing import Any

from c2c_cli.simulate.capture import wait_for_events
from c2c_cli.simulate.pagination import continuations_of, pagination_violations, summary
from c2c_cli.simulate.results import CapturedEvent, SimulationResult
from c2c_cli.simulate.suite.scale import exactly_once


def page(seq: int, status: int, *ids: str, did: str = "d1") -> CapturedEvent:
    devices = [{"ConnectorDeviceId": i} for i in ids]
    body = {"DeviceDiscoveryId": did, "StatusCode": status, "Devices": devices}
    return CapturedEvent(seq, "DEVICE_DISCOVERY", "accepted", "1", body)


def rules(found: list[Any]) -> list[str]:
    return [v.rule for v in found]


def test_pages_ending_with_200_and_no_repeat_are_clean() -> None:
    events = [page(1, 300, "a", "b"), page(2, 300, "c"), page(3, 200, "d")]
    assert pagination_violations(events, "d1", [{"verdict": "ok"}], 10) == []
    assert summary(events, "d1", [{"verdict": "ok", "duplicate": True}]) == {
        "pages": 3, "invocations": 2, "devices": 4, "devices_sent": 4, "final": True, "duplicate_deliveries": 1,
    }  # fmt: skip


def test_no_final_page_is_a_timeout() -> None:
    found = pagination_violations([page(1, 300, "a")], "d1", [], 2)
    assert rules(found) == ["sim.discovery-timed-out"]
    assert "TIMED_OUT" in found[0].message and "within 2 s" in found[0].message


def test_an_error_page_closes_the_discovery() -> None:
    assert pagination_violations([page(1, 500)], "d1", [], 2) == []


def test_no_page_at_all_is_left_to_the_missing_event_rule() -> None:
    assert pagination_violations([], "d1", [], 2) == []


def test_a_repeated_page_and_a_re_sent_device_are_caught() -> None:
    events = [page(1, 300, "a", "b"), page(2, 300, "a", "b"), page(3, 200, "b", "c")]
    found = pagination_violations(events, "d1", [], 2)
    assert rules(found) == ["sim.page-repeated", "sim.page-repeated"]
    assert "page 2 re-sends the same devices as page 1" in found[0].message
    assert "page 3 re-sends 1 device(s) of page 1" in found[1].message


def test_pages_of_another_discovery_do_not_count() -> None:
    events = [page(1, 300, "a"), page(2, 200, "a", did="other"), page(3, 200, "b")]
    assert pagination_violations(events, "d1", [], 2) == []


def test_a_failed_continuation_is_named() -> None:
    failed = {"verdict": "failed", "attempts": [{"outcome": "timeout"}] * 3}
    found = pagination_violations([page(1, 200, "a")], "d1", [failed], 2)
    assert rules(found) == ["sim.continuation-failed"]
    assert "timeout, timeout, timeout" in found[0].message


def test_continuations_are_matched_by_discovery_id() -> None:
    mine = {"request": {"payload": {"deviceDiscoveryId": "d1"}}}
    other = {"request": {"payload": {"deviceDiscoveryId": "d2"}}}
    assert continuations_of([mine, other, {"request": "x"}], "d1") == [mine]


def test_every_device_of_a_reported_kind_must_arrive() -> None:
    vendor = [{"id": "a", "kind": "light"}, {"id": "b", "kind": "light"}, {"id": "c", "kind": "lock"}]
    result = SimulationResult("AWS.DiscoverDevices", {}, None, events=(page(1, 200, "a", "zz"),))
    found = exactly_once(vendor, result)
    assert [v.rule for v in found] == ["sim.devices-exactly-once"] * 2
    assert "1 of the vendor's devices" in found[0].message and "'b'" in found[0].message  # not 'c'
    assert "'zz'" in found[1].message
    nothing = SimulationResult("AWS.DiscoverDevices", {}, {"header": {"responseCode": 504}})
    assert "none of the vendor's 3 devices arrived (ACK 504)" in exactly_once(vendor, nothing)[0].message


def test_the_wait_goes_on_while_invocations_are_busy() -> None:
    now = [0.0]
    busy = iter([True, True, True, False])
    reads: list[int] = []

    def read(after: int) -> list[dict[str, Any]]:
        reads.append(after)
        return []

    def sleep(s: float) -> None:
        now[0] += s

    wait_for_events(
        read, 0, lambda _e: False, 1.0, clock=lambda: now[0], sleep=sleep,
        busy=lambda: next(busy, False), max_wait_s=60,
    )  # fmt: skip
    assert now[0] > 1.0  # extended past --wait while busy
    assert now[0] < 60


def test_the_wait_never_passes_the_discovery_wait() -> None:
    now = [0.0]

    def sleep(s: float) -> None:
        now[0] += s

    wait_for_events(
        lambda _a: [], 0, lambda _e: False, 1.0, clock=lambda: now[0], sleep=sleep,
        busy=lambda: True, max_wait_s=5,
    )  # fmt: skip
    assert 5 <= now[0] < 5.1
