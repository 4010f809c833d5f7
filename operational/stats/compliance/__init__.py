"""Who has logged session RPE and wellness lately, per team: the logging compliance coaches chase."""
