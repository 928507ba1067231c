"""The end of a Link flow: what the user chose, what it did, and where Link sends the browser next.

Shared by the Link pages (a person clicking) and the control plane's headless Link actions (a test), so
both produce the same transitions, error entries and redirect URLs.

Outcomes, as Codat's redirect `statusCode` reports them:

    200  authorized: PendingAuth → Linked, or Unlinked/Deauthorized → Linked (reconnected)
    201  the connection was already Linked; nothing changed ("a connection already established")
    403  the user cancelled: status unchanged, a 403 `dataConnectionErrors` entry
    500  the platform failed, or the company already has a Linked accounting connection: status
         unchanged, a 500 entry
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote

from .enums import ConnectionStatus
from .records import CompanyRecord, ConnectionRecord
from .store import LinkFailure, Store
from .tenants import client_id

USER_CANCELLED = "User cancelled."
UNKNOWN_ERROR = "Unknown error occurred."

# Any `{name}` is a placeholder: Codat's reserved names, or a custom parameter from the Link URL's query.
# Reserved names may contain dots (`data.company.companyName`).
_PLACEHOLDER = re.compile(r"\{([A-Za-z0-9_.\-]+)\}")


class LinkChoice(StrEnum):
    """The buttons of the connection's Link page."""

    AUTHORIZE = "authorize"
    CANCEL = "cancel"
    PLATFORM_ERROR = "error"


@dataclass(frozen=True, slots=True)
class LinkOutcome:
    """How a Link attempt ended, in the terms of Codat's redirect parameters, plus a sentence for people."""

    status_code: int
    status_text: str
    error_message: str
    detail: str

    @property
    def succeeded(self) -> bool:
        return self.status_code in (200, 201)


def complete_link(
    store: Store, tenant: str, company_id: str, connection_id: str, choice: LinkChoice
) -> tuple[ConnectionRecord, LinkOutcome]:
    """Apply the user's `choice` to the connection through the store, atomically; the record and outcome."""
    failure = {
        LinkChoice.AUTHORIZE: None,
        LinkChoice.CANCEL: LinkFailure.cancelled(),
        LinkChoice.PLATFORM_ERROR: LinkFailure.platform_error(UNKNOWN_ERROR),
    }[choice]
    attempt = store.attempt_link(tenant, company_id, connection_id, failure)
    connection = attempt.connection
    platform = connection.integration.name
    if attempt.previous_status is ConnectionStatus.LINKED:
        outcome = LinkOutcome(201, "Already connected", "", f"{platform} was already linked; nothing changed.")
    elif attempt.refusal is not None:
        outcome = LinkOutcome(500, connection.errors[-1].status_text, UNKNOWN_ERROR, attempt.refusal.message)
    elif choice is LinkChoice.AUTHORIZE:
        verb = "reconnected" if attempt.previous_status is not ConnectionStatus.PENDING_AUTH else "linked"
        outcome = LinkOutcome(200, "Success", "", f"{platform} is now {verb}.")
    elif choice is LinkChoice.CANCEL:
        outcome = LinkOutcome(403, connection.errors[-1].status_text, USER_CANCELLED, "You cancelled linking.")
    else:
        outcome = LinkOutcome(
            500, connection.errors[-1].status_text, UNKNOWN_ERROR, f"{platform} reported an error (simulated)."
        )
    return connection, outcome


def redirect_values(
    tenant: str,
    company: CompanyRecord,
    connection: ConnectionRecord,
    outcome: LinkOutcome,
    custom: Mapping[str, str],
) -> dict[str, str]:
    """The value of every placeholder: custom parameters first, then Codat's reserved names over them."""
    integration = connection.integration
    reserved = {
        "clientId": client_id(tenant),
        "companyId": company.id,
        "connectionId": connection.id,
        "integrationId": integration.integration_id,
        "sourceId": integration.source_id,
        "platform": integration.key,
        "platformName": integration.name,
        # Codat's documented example renders the source type in lower case ("/accounting/").
        "sourceType": integration.source_type.value.lower(),
        "statusCode": str(outcome.status_code),
        "statusText": outcome.status_text,
        "errorMessage": outcome.error_message,
        "data.company.companyName": company.name,
    }
    return {**custom, **reserved}


def substitute(template: str, values: Mapping[str, str]) -> str:
    """`template` with each `{name}` replaced by its URL-encoded value; unknown names become ""."""
    return _PLACEHOLDER.sub(lambda match: quote(values.get(match[1], ""), safe=""), template)
