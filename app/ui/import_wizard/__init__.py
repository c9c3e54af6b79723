"""The wizard that imports the ERP's due-date schedule (scadenziario), step by step."""

from app.ui.import_wizard.wizard import ImportWizard

__all__ = ["ImportWizard"]
