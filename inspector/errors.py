"""Exceptions whose message is meant for the person using the app.

Every error that bad input can cause is raised as a :class:`UserError` (or a subclass)
with one clear sentence in Chinese; the CLI prints it on stderr and exits non-zero,
the GUI shows it in a dialog. Anything else is a bug.
"""


class UserError(Exception):
    """An error caused by input or environment, explained in one sentence."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DatabaseError(UserError):
    """The database file is missing, damaged, foreign or too new."""

    exit_code = 3


class NotFoundError(UserError):
    """A record named by id does not exist."""

    exit_code = 4
