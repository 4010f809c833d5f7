"""Dashboard pages, listed in dashboards/app.py with st.navigation."""
