"""Payments received: read from bank and accounting files, matched to credits, and the unmatched queue."""
