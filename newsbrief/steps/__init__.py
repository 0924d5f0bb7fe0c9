"""The pipeline steps: summary, issue, stance, lead selection, answer checks, asking, prompts."""
