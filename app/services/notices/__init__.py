"""Payment notices: their codes, their PDF pages and the supervisor's batches."""
