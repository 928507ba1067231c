"""String enums whose values are Codat's exact wire strings."""

from __future__ import annotations

from enum import StrEnum


class ConnectionStatus(StrEnum):
    PENDING_AUTH = "PendingAuth"
    LINKED = "Linked"
    UNLINKED = "Unlinked"
    DEAUTHORIZED = "Deauthorized"


class SourceType(StrEnum):
    ACCOUNTING = "Accounting"
    BANKING = "Banking"
    BANK_FEED = "BankFeed"
    COMMERCE = "Commerce"
    EXPENSE = "Expense"
    OTHER = "Other"
    UNKNOWN = "Unknown"


class ConnectionEvent(StrEnum):
    """What can happen to a connection; the state machine maps (status, event) to the next status."""

    AUTHORIZE = "authorize"  # Link completed, or PUT …/authorization
    FAIL = "fail"  # the user cancelled at Link, or the platform refused
    UNLINK = "unlink"  # PATCH {"status": "Unlinked"}
    DEAUTHORIZE = "deauthorize"  # the platform revoked access (control plane only)
