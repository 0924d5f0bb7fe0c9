"""newsbrief: turn a news article into a brief (summary, quotes with speakers, stances).

Importing the package is cheap: no torch, no model. Models load when a ``Briefer`` needs one.
"""

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

__version__ = "0.1.0"

__all__ = [
    "Brief",
    "BriefOptions",
    "BriefRecord",
    "Briefer",
    "GenerationError",
    "InputError",
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
