"""Qt-free persistence: SQLModel tables, the database file, migrations."""
