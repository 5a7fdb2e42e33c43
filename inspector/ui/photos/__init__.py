"""Photo widgets: a finding's photo strip, the large viewer, bulk import from a folder."""
