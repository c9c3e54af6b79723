"""Exchanging files with the bank: CBI flows, ISO 20022 statements, the accounting office's lists."""
