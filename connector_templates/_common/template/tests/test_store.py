"""The state store: the same semantics in memory and in template.yaml's DynamoDB table (moto).

Conditional writes decide races between invocations (a retried command, a continuation delivered
twice): of several concurrent writers exactly one wins.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from connector import store
from tests.state_table import table_properties


@pytest.fixture(params=["memory", "dynamodb"])
def any_store(request: pytest.FixtureRequest):
    chosen = store.MemoryStore() if request.param == "memory" else request.getfixturevalue("dynamodb_store")
    store.set_store(chosen)
    yield chosen
    store.set_store(None)


def _race(count: int, attempt) -> list:
    """Run ``attempt()`` in ``count`` threads released at once; their results."""
    gate = threading.Barrier(count)

    def run(_: int):
        gate.wait()
        return attempt()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_the_table_is_the_one_template_yaml_declares():
    props = table_properties()
    assert props["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert props["TimeToLiveSpecification"] == {"AttributeName": "expires", "Enabled": True}


def test_dynamodb_table_has_ttl_on_expires(dynamodb_store):
    client, table = dynamodb_store._client, dynamodb_store._table
    ttl = client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires")


def test_put_get_delete(any_store):
    any_store.put("user:u1", {"active": True, "n": 1})
    assert any_store.get("user:u1") == {"active": True, "n": 1}
    any_store.delete("user:u1")
    assert any_store.get("user:u1") is None
    any_store.delete("user:u1")  # absent: no error


def test_put_if_absent_creates_once(any_store):
    assert any_store.put_if_absent("resp:t1", {"first": True}) is True
    assert any_store.put_if_absent("resp:t1", {"first": False}) is False
    assert any_store.get_versioned("resp:t1") == ({"first": True}, 1)


def test_compare_and_set_needs_the_version_it_read(any_store):
    assert any_store.get_versioned("disc:d1") == (None, 0)
    assert any_store.compare_and_set("disc:d1", {"page": 1}, 0) is True
    assert any_store.compare_and_set("disc:d1", {"page": 9}, 0) is False
    assert any_store.compare_and_set("disc:d1", {"page": 2}, 1) is True
    assert any_store.compare_and_set("disc:d1", {"page": 9}, 1) is False
    assert any_store.get_versioned("disc:d1") == ({"page": 2}, 2)


def test_an_unconditional_put_is_version_zero(any_store):
    any_store.put("user:u2", {"active": True})
    assert any_store.get_versioned("user:u2") == ({"active": True}, 0)
    assert any_store.put_if_absent("user:u2", {"active": False}) is False
    assert any_store.compare_and_set("user:u2", {"active": False}, 0) is True
    assert any_store.get_versioned("user:u2") == ({"active": False}, 1)


def test_an_expired_record_is_absent_even_before_the_table_deletes_it(any_store):
    any_store.put_if_absent("cmd:c1", {"trace_id": "t"}, ttl_s=1)
    any_store.compare_and_set("disc:d2", {"page": 1}, 0, ttl_s=1)
    time.sleep(2.1)  # TTL granularity is whole seconds; the assertion is on state, not on time

    assert any_store.get("cmd:c1") is None
    assert any_store.get_versioned("disc:d2") == (None, 0)
    assert any_store.take("cmd:c1") is None
    assert any_store.put_if_absent("cmd:c1", {"trace_id": "new"}) is True
    assert any_store.compare_and_set("disc:d2", {"page": 5}, 0) is True
    assert any_store.get_versioned("disc:d2") == ({"page": 5}, 1)


def test_take_gives_the_record_to_one_caller(any_store):
    any_store.put("cmd:c2", {"trace_id": "t2"})
    assert any_store.take("cmd:c2") == {"trace_id": "t2"}
    assert any_store.take("cmd:c2") is None
    assert any_store.get("cmd:c2") is None


def test_of_racing_put_if_absent_exactly_one_wins(any_store):
    wins = _race(8, lambda: any_store.put_if_absent("resp:race", {"at": time.time()}))
    assert sorted(wins) == [False] * 7 + [True]


def test_of_racing_compare_and_set_from_one_version_exactly_one_wins(any_store):
    any_store.put_if_absent("disc:race", {"page": 1})

    def advance():
        record, version = any_store.get_versioned("disc:race")
        return any_store.compare_and_set("disc:race", {"page": record["page"] + 1}, version)

    results = _race(8, advance)
    record, version = any_store.get_versioned("disc:race")
    assert record["page"] - 1 == results.count(True) == version - 1
    assert results.count(True) >= 1


def test_of_racing_takes_exactly_one_gets_the_record(any_store):
    any_store.put("cmd:race", {"trace_id": "t3"})
    taken = _race(8, lambda: any_store.take("cmd:race"))
    assert [t for t in taken if t is not None] == [{"trace_id": "t3"}]


def test_the_response_claim_is_once_per_trace_id(any_store):
    assert store.claim_response("trace-1") is True
    assert store.claim_response("trace-1") is False
    assert store.claim_response("trace-2") is True
