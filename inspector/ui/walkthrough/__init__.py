"""The walk-through of one inspection: the item list and the finding editor."""
