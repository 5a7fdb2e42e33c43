"""Sync: export, merge and backups dialogs, the not-yet-exported banner, and the controller that owns them."""
