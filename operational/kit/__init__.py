"""Shared service kit: every operational service is built from these parts, the same way."""
