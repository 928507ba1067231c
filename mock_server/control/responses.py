"""JSON bodies and query parameters of the control plane (its errors are Codat ErrorMessages, as the API's)."""

from __future__ import annotations

import json
import re
from datetime import datetime

from starlette.requests import Request
from starlette.responses import Response

from ..domain.errors import BadRequest, ValidationItem
from ..domain.timestamps import TIMESTAMP_RULE, format_timestamp, parse_timestamp


def json_body(data: object, status_code: int = 200) -> Response:
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return Response(body, status_code=status_code, media_type="application/json")


def timestamp(moment: datetime | None) -> str | None:
    """Control-plane times use the API's own timestamp format."""
    return format_timestamp(moment) if moment is not None else None


class QueryParams:
    """Typed access to query parameters that collects every problem, then fails with one 400.

    An empty text parameter (`?method=`) filters nothing; an empty integer, date-time or fingerprint
    (`?status=`) is no such value, so it is refused like any other malformed one.
    """

    def __init__(self, request: Request) -> None:
        self._params = request.query_params
        self.problems: list[ValidationItem] = []

    def text(self, name: str) -> str | None:
        value = self._params.get(name)
        return value if value else None

    def integer(self, name: str, low: int, high: int) -> int | None:
        raw = self._params.get(name)
        if raw is None:
            return None
        if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
            self.problems.append(
                ValidationItem(name, f"{name} must be an integer from {low} to {high}; got {raw!r}", "QueryValidator")
            )
            return None
        return int(raw)

    def moment(self, name: str) -> datetime | None:
        raw = self._params.get(name)
        if raw is None:
            return None
        try:
            return parse_timestamp(raw)
        except ValueError:
            self.problems.append(ValidationItem(name, f"{name} {TIMESTAMP_RULE}; got {raw!r}", "QueryValidator"))
            return None

    def matching(self, name: str, pattern: re.Pattern[str], rule: str) -> str | None:
        raw = self._params.get(name)
        if raw is None:
            return None
        if pattern.fullmatch(raw) is None:
            self.problems.append(ValidationItem(name, f"{name} must be {rule}; got {raw!r}", "QueryValidator"))
            return None
        return raw

    def check(self) -> None:
        if self.problems:
            raise BadRequest(validation=tuple(self.problems))
