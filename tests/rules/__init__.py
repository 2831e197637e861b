"""Tests for the pure-Python rules core (no database needed)."""
