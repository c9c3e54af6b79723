"""All business logic: every action the window offers is a function here that runs without a window."""
