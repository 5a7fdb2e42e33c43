"""Reports for the office: the hazard ledger (rows and xlsx/csv export) and the monthly analysis (figures and PDF)."""
