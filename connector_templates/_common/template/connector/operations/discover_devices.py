"""``AWS.DiscoverDevices``: page through the vendor's devices and report them (contract §3.2).

Vendor pages of ``VENDOR_PAGE_SIZE`` devices (the sandbox allows up to 200) are fetched while the
invocation budget allows (contract §2.1), filtered by ``connectorDeviceIdList`` and translated with
:mod:`connector.matter_map`. Each page becomes ``DEVICE_DISCOVERY`` events of at most 100 devices:
``StatusCode`` 300, and 200 on the last event of the vendor's last page, which completes the discovery
(a filtered-out page sends nothing). Events go out before the ACK (allowed by §2.1).

An account too large for one invocation continues in another: the invocation saves where it stopped
in the state store record ``disc:<deviceDiscoveryId>`` (vendor cursor, next event number, totals),
invokes its own function asynchronously (:mod:`connector.continuation`) and ACKs 200; the continuation
does the same until the vendor's last page. A vendor 429 (its ``Retry-After`` included) or 5xx between
pages is waited out inside the budget by :mod:`connector.vendor`; when the wait does not fit, the
continuation goes on after it (``notBefore``), up to ``DISCOVERY_MAX_STALLS`` (20) hand-overs without
progress. On the very first page a 5xx is the ACK instead (503, 504), as for any operation, and so is a
429 when the function cannot invoke itself; a throttled first page is otherwise handed over too. The
service's own invocation hands over after ``DISCOVERY_FIRST_ACK_MS`` so that its ACK returns quickly.

Several invocations may work on one discovery at once: the service retries the request, Lambda
delivers an Event at least once and retries it twice. Ownership and progress are conditional writes
(:meth:`connector.store.Store.compare_and_set` on the record's version): an invocation works only
after it claimed the run (the first request creates the record; a continuation claims the hand-over
addressed to its page; anyone may take over a run whose owner's lease ran out), and it claims each
page *before* sending its events. A page is therefore sent **at most once**: an invocation that dies
between the claim and the send loses that page (the devices are missing; the discovery still ends), which
we prefer to sending it twice, since the service cannot tell a repeated page from new devices. A send
that fails with an error gives the page back, so only a crash loses it.
"""

from __future__ import annotations

import os
import time
from typing import Any

from connector import auth, continuation, events, store
from connector.context import Invocation
from connector.envelope import DEVICE_ID, DISCOVERY_ID, ConnectorError, ack
from connector.translate import device_entry
from connector.vendor import Vendor

PAGE_SIZE = int(os.environ.get("VENDOR_PAGE_SIZE", "100"))
PAGE_RESERVE_S = 0.2  # a vendor page, its events and the record write must fit to start another page
HANDOFF_RESERVE_S = 0.25  # the record write and the Lambda Invoke after the last page
HANDOFF_LEASE_S = 60.0  # a queued continuation's head start before anyone may take the run over
RECORD_TTL_S = 24 * 3600
# The service waits for the first invocation's ACK: it hands over early (continuations use their whole
# budget, nobody waits for them). A small account still fits.
FIRST_ACK_S = int(os.environ.get("DISCOVERY_FIRST_ACK_MS", "900")) / 1000
TRANSIENT = frozenset({429, 503, 504})


def _wanted(invocation: Invocation) -> set[str]:
    ids = invocation.request.payload.get("connectorDeviceIdList") or []
    if not isinstance(ids, list) or not all(isinstance(i, str) and DEVICE_ID.fullmatch(i) for i in ids):
        raise ConnectorError(400, "payload.connectorDeviceIdList must be a list of device ids")
    return set(ids)


def _max_stalls() -> int:
    """``DISCOVERY_MAX_STALLS``: consecutive hand-overs without a vendor page before the run gives up."""
    return int(os.environ.get("DISCOVERY_MAX_STALLS", "20"))


def _max_pages() -> int:
    """``MAX_PAGES_PER_INVOCATION``: vendor pages one invocation fetches at most (0: the budget decides)."""
    return int(os.environ.get("MAX_PAGES_PER_INVOCATION", "0"))


class _Run:
    """One invocation's share of a discovery; it owns the record while it works."""

    def __init__(self, invocation: Invocation, discovery_id: str, wanted: set[str]) -> None:
        self.invocation = invocation
        self.discovery_id = discovery_id
        self.wanted = wanted
        self.key = f"disc:{discovery_id}"
        self.state: dict[str, Any] = {}
        self.version = 0
        self.sent = [0, 0]  # events, devices sent by this invocation

    def write(self, state: dict[str, Any]) -> bool:
        """Replace the record if nobody else wrote it since we did; whether we still own the run."""
        if store.get_store().compare_and_set(self.key, state, self.version, ttl_s=RECORD_TTL_S):
            self.state, self.version = state, self.version + 1
            return True
        return False

    def lease(self) -> float:
        """Until when this invocation may hold the run: its budget's end, after which it has either handed
        over (a new lease) or been stopped (timed out, crashed), so a retry arriving later may take over."""
        return time.time() + max(0.0, self.invocation.budget.remaining())

    def acquire(self) -> str | None:
        """Claim the run; ``None`` when claimed, else why this invocation has nothing to do."""
        page = self.invocation.request.continuation
        if page is None:
            fresh = {"cursor": None, "page": 1, "devices": 0, "skipped": 0, "done": False}
            fresh.update(lease=self.lease(), handoff=None, notBefore=0.0, stalls=0)
            if store.get_store().put_if_absent(self.key, fresh, ttl_s=RECORD_TTL_S):
                self.state, self.version = fresh, 1
                return None
        record, self.version = store.get_store().get_versioned(self.key)
        if record is None:
            return "no discovery in progress for this continuation"
        if record["done"]:
            return "discovery already complete"
        mine = page is not None and record.get("handoff") == page
        if not mine and record["lease"] > time.time():
            return "discovery continues in another invocation"
        if not self.write({**record, "handoff": None, "lease": self.lease()}):
            return "discovery continues in another invocation"
        return None

    def answers(self, exc: ConnectorError) -> bool:
        """Whether a transient vendor error is the ACK rather than a hand-over: only in the service's own
        invocation before any page, and there only when waiting cannot help (a 5xx outage fails the run
        at once) or the function cannot continue itself. A throttling vendor (429) is waited out by a
        continuation, so a throttled first page still yields every device."""
        untouched = self.invocation.request.continuation is None and self.state["cursor"] is None
        return untouched and (exc.code != 429 or not continuation.available())

    def release(self) -> None:
        """Let a retry take the run over at once (this invocation stops on an error)."""
        self.write({**self.state, "handoff": None, "lease": 0.0})

    def work(self) -> str:
        """Fetch and report pages until done, out of budget or stalled; ``done``, ``continues`` or ``lost``."""
        pages = 0
        budget = self.invocation.budget
        while True:
            wait = self.state["notBefore"] - time.time()
            if wait > 0:  # the vendor asked for a pause (Retry-After) that an earlier invocation could not wait
                if self.state["stalls"] >= _max_stalls():
                    raise ConnectorError(429, "the vendor asked to wait longer than a discovery may stall")
                time.sleep(max(0.0, min(wait, budget.remaining() - HANDOFF_RESERVE_S)))
                if self.state["notBefore"] > time.time():
                    return self.hand_over(stalls=self.state["stalls"] + 1)
            if (_max_pages() and pages >= _max_pages()) or not budget.allows(PAGE_RESERVE_S + HANDOFF_RESERVE_S):
                return self.hand_over()
            try:
                devices, cursor = self.invocation.vendor.devices(self.state["cursor"], PAGE_SIZE)
            except ConnectorError as exc:
                if exc.code not in TRANSIENT or self.state["stalls"] >= _max_stalls() or self.answers(exc):
                    raise  # the ACK tells the service (contract §2.4)
                return self.hand_over(stalls=self.state["stalls"] + 1, notBefore=time.time() + exc.retry_after)
            pages += 1
            if not self.report(devices, cursor):
                return "lost"
            if not cursor:
                return "done"

    def report(self, devices: list[dict[str, Any]], cursor: str | None) -> bool:
        """Claim the page in the record, then send its events; whether we still own the run."""
        entries, skipped = [], 0
        for device in devices:
            if (self.wanted and device.get("id") not in self.wanted) or not auth.visible(self.invocation, device):
                continue
            entry = device_entry(device)
            if entry is None:
                skipped += 1
            else:
                entries.append(entry)
        final = not cursor
        batches = list(events.chunks(entries)) if entries or final else []
        before = self.state
        after = {**before, "cursor": cursor, "page": before["page"] + len(batches), "done": final}
        after.update(devices=before["devices"] + len(entries), skipped=before["skipped"] + skipped, stalls=0)
        if not self.write(after):
            return False
        request = self.invocation.request
        for index, batch in enumerate(batches):
            status = 200 if final and index == len(batches) - 1 else 300
            event = events.discovery(request.connector_id, self.invocation.user_id, self.discovery_id, batch, status)
            try:
                events.send(event)
            except events.OutcomeUnknown:
                raise  # the event may have arrived: the page stays claimed (at most once)
            except ConnectorError:
                if index == 0:  # nothing of this page went out: give it back
                    self.write({**before, "lease": self.state["lease"]})
                raise
            self.sent[0] += 1
            self.sent[1] += len(batch)
        return True

    def hand_over(self, **changes: Any) -> str:
        """Save the continuation and queue it (Lambda ``InvocationType="Event"``)."""
        if not continuation.available():
            raise ConnectorError(
                504, "the device list did not fit in one invocation and AWS_LAMBDA_FUNCTION_NAME is not set"
            )
        page = self.state["page"]
        if not self.write({**self.state, **changes, "handoff": page, "lease": time.time() + HANDOFF_LEASE_S}):
            return "lost"
        continuation.invoke(self.invocation.event, page)
        return "continues"


def _message(run: _Run, outcome: str) -> str:
    events_sent, devices_sent = run.sent
    if outcome == "done":
        total, count = run.state["devices"], run.state["page"] - 1
        note = f"; skipped {run.state['skipped']} unsupported" if run.state["skipped"] else ""
        return f"discovered {total} devices in {count} events{note}"
    if outcome == "continues":
        return f"sent {devices_sent} devices in {events_sent} events; discovery continues asynchronously"
    return f"sent {devices_sent} devices in {events_sent} events; another invocation took the discovery over"


def run(invocation: Invocation) -> dict[str, Any]:
    """Report the devices this invocation's budget allows, hand the rest over, then ACK."""
    discovery_id = invocation.request.text("deviceDiscoveryId", DISCOVERY_ID)
    wanted = _wanted(invocation)
    if invocation.request.continuation is None:
        invocation.budget = invocation.budget.within(FIRST_ACK_S)
    # Vendor calls leave time to hand over: a slow vendor must not eat the continuation's start.
    invocation.vendor = Vendor(invocation.credentials.headers, invocation.budget.reserve(HANDOFF_RESERVE_S))
    state = _Run(invocation, discovery_id, wanted)
    busy = state.acquire()
    if busy is not None:
        return ack(200, busy)
    try:
        outcome = state.work()
    except ConnectorError:
        state.release()
        raise
    return ack(200, _message(state, outcome))
