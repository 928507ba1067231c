"""Helpers for testing against the emulator: a real `codat-mock serve` process on a free port, and a loopback
webhook receiver.

The pytest fixtures live in `mock_server.pytest_plugin` (loaded automatically by pytest once the package is
installed); this package holds what they are built from and what is useful without pytest.
"""

from __future__ import annotations

from .live import LiveServer, LiveServerError
from .webhook_receiver import ReceivedWebhook, WebhookReceiver

__all__ = ["LiveServer", "LiveServerError", "ReceivedWebhook", "WebhookReceiver"]
