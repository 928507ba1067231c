"""Webhooks, the pure part: consumers and their filters, event envelopes, signatures, the retry schedule and
the delivery book. Sending (HTTP, asyncio) lives in `mock_server.delivery`; nothing here does I/O.
"""

from __future__ import annotations
