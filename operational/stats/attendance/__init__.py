"""Attendance per team, week and player, from the attendance marts."""
