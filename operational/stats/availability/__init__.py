"""A team's availability: today's status of every player, the week ahead from expected returns, and each week's
share of available player-days (fct_team_availability_weekly)."""
