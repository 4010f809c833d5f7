"""Injury surveillance per team: incidence, burden with its bootstrap interval, severity bands, the risk matrix and
time to return to play (IOC 2020 consensus, Bahr et al., BJSM 54:372)."""
