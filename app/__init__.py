"""CreditDesk: credit collection for Italian consortia."""

__version__ = "0.1.0"
