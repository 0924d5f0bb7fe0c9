"""Prompt templates shipped as the package data ``newsbrief._prompts`` (see prompts.py)."""
