"""The project's own exception types; the CLI turns them into one line and an exit code."""


class EnforceError(Exception):
    """Root of every error a user can cause."""

    exit_code = 1


class UsageError(EnforceError):
    """Bad arguments or configuration (exit 2)."""

    exit_code = 2


class InputError(EnforceError):
    """An input that cannot be read, decoded or extracted (exit 3)."""

    exit_code = 3


class OutputError(EnforceError):
    """An output that cannot be written: missing folder, no permission, a directory, disk full (exit 4)."""

    exit_code = 4
