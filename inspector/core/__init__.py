"""Qt-free domain logic: checklists, photos, documents, sync, ledger."""
