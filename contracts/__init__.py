"""Event contracts: the envelope, one payload module per domain, and the registry of every event type."""
