"""The surfaces over the Briefer: CLI, batch files, Ray, datasets, views, HTML input, tables."""
