"""Clubs (tenants) as the platform sees them: onboarding, listing, suspending and reactivating, and each club's
configuration (feature switches, with every change audited).

Why this lives in the users service, served under ``/api/v1/admin``: the users service owns organizations,
accounts, invitations and sign-in. Onboarding writes an organization and its first club admin with an invitation;
suspension must stop sign-in and end every session of the club; the "second factor required per role" switch is read
at every sign-in. Each of these changes the users service's own rows, and doing it here does it in one transaction
with its events (no window where a club exists without its admin, or is suspended while its people still sign in).
Orchestrating the same through events from another service would copy the users tables' rules into a second place.
The admin service (:mod:`operational.admin`) keeps what belongs to no other service: usage events from the pages and
the system status.
"""
