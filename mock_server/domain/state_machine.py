"""The connection lifecycle as one table and one pure function.

    from \\ event  authorize   fail                   unlink     deauthorize
    PendingAuth    Linked      PendingAuth (+error)   refused    refused
    Linked         Linked      Linked                 Unlinked   Deauthorized
    Unlinked       Linked      Unlinked (+error)      refused    refused
    Deauthorized   Linked      Deauthorized (+error)  refused    refused

`fail` never changes the status; whether it records a `dataConnectionErrors` entry is the store's
business (it does for every status but Linked, where Link reports "already connected" instead).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .enums import ConnectionEvent, ConnectionStatus
from .errors import InvalidTransition

_S = ConnectionStatus
_E = ConnectionEvent

TRANSITIONS: Mapping[tuple[ConnectionStatus, ConnectionEvent], ConnectionStatus] = MappingProxyType(
    {
        (_S.PENDING_AUTH, _E.AUTHORIZE): _S.LINKED,
        (_S.PENDING_AUTH, _E.FAIL): _S.PENDING_AUTH,
        (_S.LINKED, _E.AUTHORIZE): _S.LINKED,
        (_S.LINKED, _E.FAIL): _S.LINKED,
        (_S.LINKED, _E.UNLINK): _S.UNLINKED,
        (_S.LINKED, _E.DEAUTHORIZE): _S.DEAUTHORIZED,
        (_S.UNLINKED, _E.AUTHORIZE): _S.LINKED,
        (_S.UNLINKED, _E.FAIL): _S.UNLINKED,
        (_S.DEAUTHORIZED, _E.AUTHORIZE): _S.LINKED,
        (_S.DEAUTHORIZED, _E.FAIL): _S.DEAUTHORIZED,
    }
)


def transition(status: ConnectionStatus, event: ConnectionEvent) -> ConnectionStatus:
    """The status after `event`, or InvalidTransition (400) when the table has no entry."""
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        raise InvalidTransition(_refusal(status, event), status=status.value, event=event.value) from None


def _refusal(status: ConnectionStatus, event: ConnectionEvent) -> str:
    if event is ConnectionEvent.UNLINK:
        # Codat's docs: "Only Linked data connections can be unlinked."
        return f"Only Linked data connections can be unlinked; this connection is {status.value}."
    return f"A {status.value} data connection cannot be {event.value}d; only Linked connections can."
