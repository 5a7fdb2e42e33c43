"""File sync: export a database file, verify and merge files from other laptops, report conflicts.

Modules: ``rows`` (row versions, their hash and order), ``manifest`` (what an export file vouches
for), ``verify`` (refuse anything else), ``history`` (local bookkeeping), ``selection`` and
``export`` (writing files), ``plan`` (deciding what a merge does), ``merge`` (doing it in one
transaction), ``dedup`` and ``numbering`` (photo duplicates, document number checks), ``status``
(what is not exported yet); ``backups`` (copies of the local database, restore) and
``integrity`` (the ``check`` command). Nothing is imported here, so the CLI stays fast to start.
"""
