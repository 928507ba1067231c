"""Wire models → HTTP responses, and domain errors → Codat ErrorMessage responses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import orjson
from pydantic import BaseModel
from starlette.responses import Response

from ..domain.errors import CodatError
from ..domain.models import ErrorMessage, ErrorValidation, ErrorValidationItem, Page, WireModel
from ..domain.paging import PageWindow

R = TypeVar("R")
W = TypeVar("W", bound=WireModel)


def json_response(model: BaseModel, status_code: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    # exclude_unset: views build models with only the fields Codat sends, so unset means "omit".
    body = model.model_dump_json(by_alias=True, exclude_unset=True)
    return Response(body, status_code=status_code, media_type="application/json", headers=headers)


def wire_response(wire: Any, status_code: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    """A JSON-ready value (domain/views.py `*_wire`) serialised by orjson: no model is built or validated."""
    return Response(orjson.dumps(wire), status_code=status_code, media_type="application/json", headers=headers)


def page_wire_response(window: PageWindow[R], render: Callable[[R], dict[str, Any]]) -> Response:
    """A page of records rendered by `render` (a `*_wire` view), in the same shape as `page_response`."""
    return wire_response(
        {
            "results": [render(record) for record in window.results],
            "pageNumber": window.page_number,
            "pageSize": window.page_size,
            "totalResults": window.total_results,
            "_links": window.links.model_dump(by_alias=True, exclude_unset=True),
        }
    )


def page_response(window: PageWindow[R], model: type[W], render: Callable[[R], W]) -> Response:
    page = Page[model].model_construct(  # type: ignore[valid-type]
        results=[render(record) for record in window.results],
        page_number=window.page_number,
        page_size=window.page_size,
        total_results=window.total_results,
        links=window.links,
    )
    return json_response(page)


def error_message(error: CodatError, correlation_id: str) -> ErrorMessage:
    validation = None
    if error.validation:
        validation = ErrorValidation(
            errors=[
                ErrorValidationItem(item_id=v.item_id, message=v.message, validator_name=v.validator_name)
                for v in error.validation
            ],
            warnings=[],
        )
    return ErrorMessage(
        status_code=error.status_code,
        service=error.service,
        error=error.message,
        correlation_id=correlation_id,
        validation=validation,
        can_be_retried=error.can_be_retried,
        detailed_error_code=error.detailed_error_code,
    )


def error_response(error: CodatError, correlation_id: str, headers: Mapping[str, str] | None = None) -> Response:
    body = error_message(error, correlation_id).model_dump_json(by_alias=True)
    return Response(body, status_code=error.status_code, media_type="application/json", headers=headers)
