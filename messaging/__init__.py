"""Messaging: the NATS client, the outbox and its relay, durable consumers and the inbox they share.

Beside ``contracts/`` (what an event is), this package is how events travel. Services and pipelines both use it, so
it imports nothing from ``operational``.
"""
