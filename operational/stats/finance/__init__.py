"""The club's fees for its admins: per team and currency, from fct_finance_by_team."""
