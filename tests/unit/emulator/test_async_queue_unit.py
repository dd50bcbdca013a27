"""AsyncQueue: Lambda's async retry policy (2 retries after their delays) and at-least-once duplicates."""

from __future__ import annotations

import pytest

from c2c_cli.emulator.driver.async_queue import AsyncJob, AsyncQueue, parse_delays
from c2c_cli.errors import UsageError
from c2c_cli.runtime.delivery import Attempt


def run_failing(times: int):
    def run(job: AsyncJob) -> None:
        outcome = "raised" if len(job.attempts) < times else "ok"
        job.attempts.append(Attempt(len(job.attempts) + 1, outcome, 1.0))

    return run


def drain(queue: AsyncQueue) -> None:
    assert queue.wait_idle(10)
    queue.close()


@pytest.mark.parametrize(("failures", "attempts", "ok"), [(0, 1, True), (2, 3, True), (5, 3, False)])
def test_retries_twice_at_most(failures: int, attempts: int, ok: bool) -> None:
    done: list[AsyncJob] = []
    queue = AsyncQueue(run_failing(failures), done.append, (0.0, 0.01), threads=2)
    queue.submit(AsyncJob("f", None, {}, 0.0))
    drain(queue)
    assert len(done) == 1 and len(done[0].attempts) == attempts and done[0].succeeded is ok


def test_no_delays_means_no_retries() -> None:
    done: list[AsyncJob] = []
    queue = AsyncQueue(run_failing(1), done.append, (), threads=1)
    queue.submit(AsyncJob("f", None, {}, 0.0))
    drain(queue)
    assert len(done[0].attempts) == 1 and not done[0].succeeded


def test_duplicate_rate_one_delivers_every_job_twice() -> None:
    done: list[AsyncJob] = []
    queue = AsyncQueue(run_failing(0), done.append, (0.0, 0.0), threads=2, duplicate_rate=1.0, seed=1)
    for _ in range(3):
        queue.submit(AsyncJob("f", None, {}, 0.0))
    drain(queue)
    assert len(done) == 6 and sum(j.duplicate for j in done) == 3


def test_parse_delays() -> None:
    assert parse_delays("1,2") == (1.0, 2.0)
    assert parse_delays("") == ()
    with pytest.raises(UsageError, match="--async-retry-delays"):
        parse_delays("1,soon")
