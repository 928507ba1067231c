"""Codat's timestamp format (UTC, seven fractional digits, `Z`), and the date-times the control plane takes.

Times arriving in control-plane bodies, seed files and query strings are RFC 3339 date-times with a time
zone, and nothing looser: `TIMESTAMP_PATTERN` is the exact set accepted, and the control plane's OpenAPI
document carries the same pattern (its `DateTime` schema), so what the document allows is what the code
accepts. Two limits come from Python's datetime, which holds years 0001 to 9999 only:

- the year 0000 and leap seconds (`23:59:60`) are refused, as Python cannot hold them;
- a time with a numeric offset may not fall on 0001-01-01 or 9999-12-31, where converting it to UTC could
  leave that range. In UTC (`Z`) every date is accepted, so whatever the emulator stores, it can export and
  import again.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated

from pydantic import AwareDatetime, BeforeValidator

_DATE = r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_TIME = r"[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?"
_OFFSET = r"[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]"

TIMESTAMP_PATTERN = rf"^(?!0000)(?:{_DATE}{_TIME}[Zz]|(?!0001-01-01|9999-12-31){_DATE}{_TIME}{_OFFSET})$"
"""The RFC 3339 date-times the control plane accepts (an ECMA-262 and Python regex alike)."""

TIMESTAMP_RULE = (
    "must be an RFC 3339 date-time with a time zone, e.g. 2026-01-01T00:00:00Z "
    "(years 0001-9999; with a numeric offset, not on 0001-01-01 or 9999-12-31)"
)

_TIMESTAMP = re.compile(TIMESTAMP_PATTERN)


def format_timestamp(moment: datetime) -> str:
    if moment.tzinfo is not UTC:  # the store's clocks give UTC already; skip the conversion for them
        moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    # Python keeps microseconds; .NET ticks are 100 ns, hence the trailing zero. isoformat (in C, and it
    # pads the year to four digits, unlike strftime's %Y on glibc) is the cheapest way to get the rest.
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "0Z"


def is_timestamp(text: str) -> bool:
    """Whether `text` is a date-time the control plane accepts (`TIMESTAMP_PATTERN`)."""
    return _TIMESTAMP.fullmatch(text) is not None


def parse_timestamp(text: str) -> datetime:
    """The aware datetime `text` names; ValueError (saying `TIMESTAMP_RULE`) when it is not one we accept."""
    if not is_timestamp(text):
        raise ValueError(TIMESTAMP_RULE)
    # The pattern has checked the shape; fromisoformat checks the day exists (no 2026-02-30). Upper case:
    # RFC 3339 allows `t` and `z`, fromisoformat does not.
    return datetime.fromisoformat(text.upper())


def _from_text(value: object) -> object:
    # Text is parsed here, by the one parser the control plane uses (so a body and a query string agree);
    # anything else is left to pydantic, which in strict mode refuses it with its own message.
    return parse_timestamp(value) if isinstance(value, str) else value


Timestamp = Annotated[AwareDatetime, BeforeValidator(_from_text)]
"""A date-time field of a control-plane body: `TIMESTAMP_PATTERN` text, parsed to an aware datetime."""
