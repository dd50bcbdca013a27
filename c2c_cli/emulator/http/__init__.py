"""The emulator's lowest layer: the wire (SigV4, routes, rest-json errors, faults, admin endpoints), settings and store.

Nothing here imports ``emulator.operations`` or ``emulator.driver``: the WSGI app serves whatever
:class:`~c2c_cli.emulator.http.backend.Backend` it is given.
"""

from __future__ import annotations

__all__: list[str] = []
