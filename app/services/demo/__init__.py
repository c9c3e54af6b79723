"""Realistic Italian demo data: ``generate_demo(db, credits=100_000)`` fills a database in seconds."""

from app.services.demo.generate import DemoReport, generate_demo

__all__ = ["DemoReport", "generate_demo"]
