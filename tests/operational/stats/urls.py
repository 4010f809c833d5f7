"""The daily-load addresses the stats tests call."""


def player_url(person) -> str:
    return f"/api/v1/stats/players/{person.id}/daily-load"


def team_url(team_id) -> str:
    return f"/api/v1/stats/teams/{team_id}/daily-load"
