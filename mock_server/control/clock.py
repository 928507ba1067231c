"""The emulator's clock: read it; set or advance it when it is a manual clock (deterministic mode).

The clock is global (one per emulator, as the store has one), so changing it is an admin operation.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from pydantic import BaseModel, Field, field_validator
from starlette.requests import Request
from starlette.responses import Response

from ..domain.clock import ManualClock
from ..domain.errors import BadRequest, Conflict
from ..domain.json_types import refuse_null
from ..domain.models import STRICT_BODY_CONFIG
from ..domain.tenants import MAX_POLICY_SECONDS
from ..domain.timestamps import Timestamp
from ..http.bodies import parse_body
from .access import Access
from .plane import ControlPlane
from .responses import json_body, timestamp


class ClockChange(BaseModel):
    """`{"now": <date-time>}` sets the clock; `{"advanceSeconds": <number>}` moves it forward."""

    model_config = STRICT_BODY_CONFIG

    now: Timestamp | None = None
    advance_seconds: Annotated[float, Field(ge=0, le=MAX_POLICY_SECONDS, allow_inf_nan=False)] | None = None

    # None means "not given": the document types neither field with null, so null is refused.
    _no_nulls = field_validator("*", mode="before")(refuse_null)


class ClockHandlers:
    def __init__(self, plane: ControlPlane, access: Access) -> None:
        self.plane = plane
        self.access = access

    def _body(self) -> dict[str, object]:
        clock = self.plane.store.clock
        return {"now": timestamp(clock.now()), "settable": isinstance(clock, ManualClock)}

    async def get_clock(self, request: Request) -> Response:
        return json_body(self._body())

    async def set_clock(self, request: Request) -> Response:
        self.access.require_admin(request)
        change = await parse_body(request, ClockChange, self.plane.settings.max_body_bytes)
        if (change.now is None) == (change.advance_seconds is None):
            raise BadRequest.for_field(
                "now", "give exactly one of now (to set the clock) or advanceSeconds", "ClockValidator"
            )
        clock = self.plane.store.clock
        if not isinstance(clock, ManualClock):
            raise Conflict(
                "The emulator runs on the system clock, which cannot be set; start it in deterministic mode "
                "(--seed N or CODAT_MOCK_SEED) for a settable clock."
            )
        if change.now is not None:
            clock.set(change.now)
        elif change.advance_seconds is not None:
            try:
                clock.advance(timedelta(seconds=change.advance_seconds))
            except OverflowError:
                # A valid request the clock's position refuses: it would pass 9999-12-31T23:59:59.999999Z, the
                # last instant it can hold. The clock has not moved.
                raise Conflict(
                    f"Advancing the clock by {change.advance_seconds} seconds would pass the year 9999, the last "
                    "time the emulator can hold; set it earlier first."
                ) from None
        return json_body(self._body())
