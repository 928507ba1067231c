"""Domain errors, each one knowing the Codat ErrorMessage it renders as.

The domain raises; the HTTP layer renders (``to_error_message``). Messages follow the forms Codat's API
uses where Codat documents them (``No company was found with ID …``, ``Data connection … not found``,
``Error parsing query - Malformed query.``), and otherwise name the offending field so a caller can fix
the request without reading our code.

    CodatError                      any error with a status code and a Codat service name
    ├── BadRequest (400)            invalid input; carries ValidationItem entries naming fields
    │   ├── QueryError (400)        the query/orderBy/tags language could not be parsed or resolved
    │   └── InvalidTransition (400) the connection state machine forbids the move
    ├── Unauthorized (401)
    ├── NotFound (404)
    │   ├── CompanyNotFound
    │   ├── ConnectionNotFound
    │   └── IntegrationNotFound
    ├── MethodNotAllowed (405)
    ├── Conflict (409)
    └── PayloadTooLarge (413)
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ValidationItem:
    """One entry of ErrorMessage.validation.errors: which item failed, and why."""

    item_id: str
    message: str
    validator_name: str = "RequestValidator"


@dataclass(eq=False)
class CodatError(Exception):
    """Base of every error the emulator reports to a caller."""

    message: str
    status_code: int = 500
    service: str = "PublicApi"
    validation: tuple[ValidationItem, ...] = field(default=())
    can_be_retried: str = "Unknown"
    detailed_error_code: int = 0

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.status_code} {self.message}"


class BadRequest(CodatError):
    """400: the request is not valid. ``validation`` names each offending field."""

    GENERIC = "Error processing request - not valid."

    def __init__(self, message: str = GENERIC, *, validation: tuple[ValidationItem, ...] = ()) -> None:
        super().__init__(message, 400, validation=validation)

    @classmethod
    def for_field(cls, item_id: str, message: str, validator_name: str = "RequestValidator") -> BadRequest:
        return cls(validation=(ValidationItem(item_id, message, validator_name),))


class QueryError(BadRequest):
    """400 raised by the query language; the message is Codat's ``Error parsing query - …`` form."""

    MALFORMED = "Error parsing query - Malformed query."

    def __init__(self, message: str = MALFORMED, *, parameter: str = "query") -> None:
        super().__init__(message, validation=(ValidationItem(parameter, message, "QueryValidator"),))
        self.service = "ClientsApi"
        self.parameter = parameter

    @classmethod
    def unresolved(cls, prop: str, on: str, *, parameter: str = "query") -> QueryError:
        return cls(f"Error parsing query - Could not resolve property {prop} on {on}", parameter=parameter)


class InvalidTransition(BadRequest):
    """400: the connection state machine does not allow ``event`` from ``status``."""

    def __init__(self, message: str, *, status: str, event: str) -> None:
        super().__init__(message, validation=(ValidationItem("status", message, "ConnectionStatusValidator"),))
        self.status = status
        self.event = event


class Unauthorized(CodatError):
    def __init__(self, message: str = "Unauthorized") -> None:
        super().__init__(message, 401)


class NotFound(CodatError):
    def __init__(self, message: str, *, service: str = "PublicApi") -> None:
        super().__init__(message, 404, service=service)


class CompanyNotFound(NotFound):
    def __init__(self, company_id: str) -> None:
        super().__init__(f"No company was found with ID {company_id}", service="ClientsApi")
        self.company_id = company_id


class ConnectionNotFound(NotFound):
    def __init__(self, connection_id: str) -> None:
        super().__init__(f"Data connection {connection_id} not found")
        self.connection_id = connection_id


class IntegrationNotFound(NotFound):
    def __init__(self, platform_key: str) -> None:
        super().__init__(f"No integration was found with platform key {platform_key}")
        self.platform_key = platform_key


class MethodNotAllowed(CodatError):
    def __init__(self, method: str, allowed: tuple[str, ...]) -> None:
        super().__init__(f"The method {method} is not allowed here; allowed: {', '.join(allowed)}", 405)
        self.allowed = allowed


class Conflict(CodatError):
    """409: a valid request that conflicts with the emulator's state (or, in an import, with itself)."""

    def __init__(self, message: str, *, validation: tuple[ValidationItem, ...] = ()) -> None:
        super().__init__(message, 409, validation=validation)


class PayloadTooLarge(CodatError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body is larger than the limit of {limit} bytes.", 413)
        self.limit = limit
