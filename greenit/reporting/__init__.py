"""Presentation of computed results: console, charts, the HTML report, atomic file outputs."""
