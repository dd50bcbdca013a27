"""Where the connector runs: in this process, in a fresh interpreter (``--isolated``), or deployed.

Every target answers :meth:`Target.invoke` with a :class:`~c2c_cli.runtime.loader.CallOutcome`, or
raises the handler's load failure (:class:`~c2c_cli.runtime.failures.HandlerLoadError`). A call that
outlives the budget (+ :data:`GRACE_MS`) is a ``timeout``: the subprocess target kills its worker (the
next call is cold again, as after a Lambda timeout); the in-process target abandons the thread, and
its next call waits for that thread within its own deadline. This module gathers the targets.
"""

from __future__ import annotations

from c2c_cli.runtime.inprocess import InProcessTarget
from c2c_cli.runtime.spec import GRACE_MS, Target, TargetSpec
from c2c_cli.runtime.subprocess_target import SubprocessTarget

__all__ = ["GRACE_MS", "InProcessTarget", "SubprocessTarget", "Target", "TargetSpec"]
