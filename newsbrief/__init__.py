"""newsbrief: turn a news article into a brief (summary, quotes with speakers, stances).

Importing the package is cheap: no torch, no model. Models load when a ``Briefer`` needs one.
"""

import sys

from newsbrief._version import __version__
from newsbrief.backends.options import LoadOptions
from newsbrief.briefer import Briefer
from newsbrief.errors import (
    GenerationError,
    InputError,
    ModelLoadError,
    NewsbriefError,
    OutputError,
    RetryExhaustedError,
)
from newsbrief.models import (
    Brief,
    PromptRecord,
    Provenance,
    Quote,
    SourceSpan,
    Stance,
    StepFailure,
    SummarySentence,
)
from newsbrief.options import BriefOptions, BriefRecord

__all__ = [
    "Brief",
    "BriefOptions",
    "BriefRecord",
    "Briefer",
    "GenerationError",
    "InputError",
    "LoadOptions",
    "ModelLoadError",
    "NewsbriefError",
    "OutputError",
    "PromptRecord",
    "Provenance",
    "Quote",
    "RetryExhaustedError",
    "SourceSpan",
    "Stance",
    "StepFailure",
    "SummarySentence",
    "__version__",
]


def _display_briefs_in_ipython() -> None:
    """Inside IPython or Jupyter, a ``Brief`` displays as HTML: the display (a surface) is
    registered with the running shell here, so the result types never import it."""
    ipython = sys.modules.get("IPython")
    shell = getattr(ipython, "get_ipython", lambda: None)()
    if shell is not None:
        from newsbrief.surfaces.display import register_ipython_display

        register_ipython_display(shell)


_display_briefs_in_ipython()
