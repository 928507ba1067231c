"""Helpers for users' tests: a loopback webhook receiver."""

from __future__ import annotations

from .webhook_receiver import ReceivedWebhook, WebhookReceiver

__all__ = ["ReceivedWebhook", "WebhookReceiver"]
