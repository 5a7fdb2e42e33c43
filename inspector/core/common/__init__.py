"""Foundations every capability uses: the clock and local dates, the one output-file helper (outputs; atomic_file
is its old name), bounded YAML reading, spreadsheet text, the device id's binding, sync columns, text search keys."""
