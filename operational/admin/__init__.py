"""The admin service (``/api/v1/admin``): usage events from the dashboards and the system status.

Clubs (onboarding, suspension) and their configuration are served under ``/api/v1/admin`` too, by the users service
(:mod:`operational.users.clubs`), because they change the organizations, accounts, invitations and sign-in rules the
users service owns, in one transaction with its events. This service keeps what belongs to no other: a page view in
the dashboards becomes an ``admin.page.viewed`` event, and the system status page reads how far behind the relays,
the stream and the serving snapshot are.
"""
