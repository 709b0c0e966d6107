"""Operational scripts: `make serve`, `make bench`, and helpers shared with tests/production/."""
