"""Shared builders for tests (no tests here)."""
