"""newsbrief: turn a news article into a brief (summary, quotes with speakers, stances).

Importing the package is cheap: no torch, no model. Models load when a ``Briefer`` needs one.
"""

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
    set_html_renderer,
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


def _brief_html(brief: Brief) -> str:
    """The HTML view of ``brief`` (the display surface loads on the first use)."""
    from newsbrief.surfaces.display import brief_html

    return brief_html(brief)


# A Brief displays as HTML in any notebook front end (its ``_repr_html_``); the result types
# reach the display only through this hook, set here by the top layer.
set_html_renderer(_brief_html)
