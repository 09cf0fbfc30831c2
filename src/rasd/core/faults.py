"""Fault injection for crash tests: ``RASD_FAULT_AT=<point>`` kills the process there with SIGKILL.

Only tests set the variable.  A point is a short name (``journal:committed``,
``release:record-written``); ``rasd`` code calls ``fault_point(name)`` at each
step whose interruption the crash tests must survive.  ``RASD_FAULT_AT`` may
name several points separated by commas.
"""

from __future__ import annotations

import os
import signal

VARIABLE = "RASD_FAULT_AT"


def fault_point(name: str) -> None:
    """Die here, as ``kill -9`` would, when the tests ask for it; otherwise do nothing."""
    wanted = os.environ.get(VARIABLE)
    if wanted and name in wanted.split(","):
        os.kill(os.getpid(), signal.SIGKILL)
