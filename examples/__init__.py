"""The example article, shipped inside the package as newsbrief._examples (notebooks, docs)."""
