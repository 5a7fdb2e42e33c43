"""Foundations every capability uses: the clock and local dates, atomic file writes, sync columns, text search keys."""
