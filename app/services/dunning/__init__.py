"""Reminders: dunning policies, the planner that decides who is due for which level, and (later) dispatch."""
