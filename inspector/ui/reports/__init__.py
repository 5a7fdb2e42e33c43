"""Reports: the ledger export dialog and the monthly analysis with its charts."""
