"""Domain errors. They carry no HTTP knowledge; `api.errors` maps them to status codes."""

from __future__ import annotations


class GeoAssetsError(Exception):
    """Base of every expected failure; its message is meant for a person."""

    title = "Error"


class NotFound(GeoAssetsError):
    """The asked-for row does not exist."""

    title = "Not found"


class InvalidInput(GeoAssetsError):
    """A value given by a user is malformed or out of range."""

    title = "Invalid input"


class InvalidQuery(InvalidInput):
    """A query parameter of a standard protocol (OGC API) is malformed: a 400, as it asks."""

    title = "Bad request"


class Conflict(GeoAssetsError):
    """The write clashes with what is stored (duplicate code, stale version)."""

    title = "Conflict"


class DatabaseUnavailable(GeoAssetsError):
    """The configured PostgreSQL server cannot be reached."""

    title = "Database unavailable"


class DatabaseBusy(DatabaseUnavailable):
    """Every database connection stayed in use for longer than the pool timeout."""

    title = "Database busy"


class IdempotencyKeyReused(InvalidInput):
    """An Idempotency-Key already recorded one report came back with a different report."""

    title = "Idempotency-Key reused"


class EmbeddedClusterError(GeoAssetsError):
    """The embedded PostgreSQL cluster cannot be set up, started or stopped."""

    title = "Embedded database error"


class InsecureConfiguration(GeoAssetsError):
    """A setting would open the data to anyone, e.g. a well-known database password."""

    title = "Insecure configuration"


class BackupFailed(GeoAssetsError):
    """pg_dump, pg_restore or psql failed, or a restore does not match its backup."""

    title = "Backup or restore failed"


class NotEmpty(GeoAssetsError):
    """An operation that needs an empty database found data."""

    title = "Database not empty"


class StaleVersion(Conflict):
    """A write named a version that is no longer current; `changes` says what changed since."""

    title = "Stale version"

    def __init__(self, message: str, *, current_version: int, changes: list[dict]) -> None:
        super().__init__(message)
        self.current_version = current_version
        self.changes = changes


class AuthenticationFailed(GeoAssetsError):
    """Wrong user name or password, or an unknown, expired or revoked token."""

    title = "Authentication failed"


class Forbidden(GeoAssetsError):
    """The signed-in account's role may not do this."""

    title = "Forbidden"


class TooManyRequests(GeoAssetsError):
    """Too many attempts from one account, address or key; try again after `retry_after` s."""

    title = "Too many requests"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class ServerBusy(GeoAssetsError):
    """The server refuses work it has no capacity for now; try again after `retry_after` s."""

    title = "Server busy"

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)
