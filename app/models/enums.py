"""The states and kinds the data model knows; values are the lower-case English names used everywhere."""

from __future__ import annotations

import enum


class SubjectKind(enum.StrEnum):
    PERSON = "person"
    COMPANY = "company"
    CONDOMINIUM = "condominium"
    ADMINISTRATOR = "administrator"


class Channel(enum.StrEnum):
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    PEC = "pec"
    POST = "post"
    REGISTERED_LETTER = "registered_letter"


class NoticeKind(enum.StrEnum):
    MAV = "mav"
    PAGOPA = "pagopa"
    TRANSFER = "transfer"


class RollStatus(enum.StrEnum):
    DRAFT = "draft"
    SENT_TO_BANK = "sent_to_bank"
    NOTICES_ISSUED = "notices_issued"
    IN_COLLECTION = "in_collection"
    CLOSED = "closed"


class CreditKind(enum.StrEnum):
    INVOICE = "invoice"
    POLICY = "policy"
    INSTALMENT = "instalment"
    OTHER = "other"


class CreditStatus(enum.StrEnum):
    ISSUED = "issued"
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    OVERDUE = "overdue"
    WRITTEN_OFF = "written_off"
    IN_LEGAL = "in_legal"


class NoticeStatus(enum.StrEnum):
    DRAFT = "draft"
    REQUESTED = "requested"
    ISSUED = "issued"
    PAID = "paid"
    PARTIALLY_PAID = "partially_paid"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class DunningHold(enum.StrEnum):
    """Why a credit gets no reminders for now."""

    DISPUTE = "dispute"
    ON_HOLD = "on_hold"
    PAYMENT_PLAN = "payment_plan"


class PaymentStatus(enum.StrEnum):
    UNMATCHED = "unmatched"
    PARTIALLY_MATCHED = "partially_matched"
    MATCHED = "matched"
    REVERSED = "reversed"


class MatchRule(enum.StrEnum):
    """How a payment found its credits, in the order the matcher tries them."""

    NOTICE_CODE = "notice_code"
    REFERENCE = "reference"
    INVOICE_NUMBER = "invoice_number"
    AMOUNT_PAYER = "amount_payer"
    MANUAL = "manual"


class BankFileFormat(enum.StrEnum):
    CBI_MAV = "cbi_mav"
    CBI_MAV_RETURN = "cbi_mav_return"
    CAMT_053 = "camt_053"
    CAMT_054 = "camt_054"
    ACCOUNTING = "accounting"
    CODES_TABLE = "codes_table"


class PaymentSource(enum.StrEnum):
    BANK = "bank"
    ACCOUNTING = "accounting"
    MANUAL = "manual"


class CommunicationStatus(enum.StrEnum):
    DRAFT = "draft"
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    UNKNOWN = "unknown"
    CANCELLED = "cancelled"


class DocumentKind(enum.StrEnum):
    NOTICE_PDF = "notice_pdf"
    INVOICE = "invoice"
    LETTER = "letter"
    PEC_RECEIPT = "pec_receipt"
    RETURN_RECEIPT = "return_receipt"
    BANK_FILE = "bank_file"
    SCHEDULE_FILE = "schedule_file"
    OTHER = "other"


class UserRole(enum.StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    COLLECTOR = "collector"
    ADMIN = "admin"
