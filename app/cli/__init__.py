"""The ``creditdesk`` command line: open the window, upgrade the database, demo data, creditors, summary."""
