"""Streamlit dashboards over the stats API (coaches first: team load)."""
