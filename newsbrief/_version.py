"""The package version (one place: ``newsbrief.__version__`` and provenance read it)."""

__version__ = "0.1.0"
