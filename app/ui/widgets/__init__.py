"""Reusable widgets and models of the pages."""
