"""Planning insights per team and player: planned vs actual load, fitness/fatigue/form with its projection,
intended vs perceived effort, goal progress."""
