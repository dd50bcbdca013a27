"""TargetPool: concurrent invocations get targets of their own, idle ones are reused warmest first."""

from __future__ import annotations

import threading

from c2c_cli.runtime.pool import TargetPool


class Fake:
    made = 0

    def __init__(self) -> None:
        Fake.made += 1
        self.number = Fake.made
        self.closed = False

    def close(self) -> None:
        self.closed = True


def test_sequential_use_stays_in_the_first_target() -> None:
    pool = TargetPool(Fake, 4)
    seen = []
    for _ in range(3):
        with pool.acquire() as target:
            seen.append(target)
    assert len(set(map(id, seen))) == 1 and len(pool.targets) == 1


def test_overlapping_use_grows_to_size_then_waits() -> None:
    pool = TargetPool(Fake, 2)
    with pool.acquire() as a, pool.acquire() as b:
        assert a is not b
        got: list[object] = []
        waiter = threading.Thread(target=lambda: got.append(pool.acquire().__enter__()))
        waiter.start()
        waiter.join(0.2)
        assert waiter.is_alive() and len(pool.targets) == 2  # a third would exceed size: it waits
    waiter.join(2)
    assert got and got[0] in (a, b)


def test_a_given_first_target_is_used_first_and_never_closed() -> None:
    mine = Fake()
    pool = TargetPool(Fake, 3, first=mine)
    with pool.acquire() as a, pool.acquire() as b:
        assert a is mine and b is not mine
    pool.close()
    assert not mine.closed and b.closed


def test_without_a_factory_the_pool_is_its_first_target() -> None:
    mine = Fake()
    pool = TargetPool(None, 4, first=mine)
    assert pool.size == 1
    with pool.acquire() as a:
        assert a is mine


def test_a_target_busy_at_close_is_closed_when_released() -> None:
    pool = TargetPool(Fake, 2)
    with pool.acquire() as busy:
        pool.close()
        assert not busy.closed
    assert busy.closed
