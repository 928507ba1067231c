"""Bill Pay (Codat's Sync for Payables): a ledger per Linked connection, and the rules its 14 operations follow.

platforms.py   what each accounting platform supports (statuses, limits, id shapes)
records.py     the ledger's immutable records and the mutable Ledger that holds them
generation.py  the deterministic seed ledger a connection gets when it becomes Linked
prototypes.py  request bodies (BillPrototype, ...) as pydantic models
rules.py       validation of those bodies against a ledger and its platform
service.py     the operations: read, create, update, pay, upload; each write emits a domain event
ledgers.py     every tenant's ledgers, idempotency entries and attachment memory, under one lock
paging.py      opaque continuation tokens
views.py       records → wire dictionaries
"""

from __future__ import annotations
