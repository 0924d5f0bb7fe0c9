"""Signals for tests that interrupt a real process: start it as a terminal user's would be.

A background job of a non-interactive shell (``cmd &`` in a script, some CI runners) starts
with SIGINT ignored, and Python keeps an inherited ``SIG_IGN`` instead of installing its
KeyboardInterrupt handler; the command then rightly ignores Ctrl-C. A test that sends
SIGINT must give its child the default disposition itself, or it depends on how the suite
was launched (issue 23, item 13).
"""

from __future__ import annotations

import signal


def sigint_as_in_a_terminal() -> None:
    """``preexec_fn`` for a child that is sent SIGINT: its default disposition back."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
