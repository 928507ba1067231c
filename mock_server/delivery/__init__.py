"""Webhook delivery: the hub that turns the store's events into deliveries, and the sender that posts them."""

from __future__ import annotations

from .hub import WebhookHub

__all__ = ["WebhookHub"]
