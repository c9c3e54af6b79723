"""The data model: typed SQLAlchemy tables and the small rules that need no session."""

from app.models.base import Base
from app.models.credits import Credit, PaymentNotice, Roll
from app.models.enums import (
    Channel,
    CommunicationStatus,
    CreditKind,
    CreditStatus,
    DocumentKind,
    NoticeKind,
    NoticeStatus,
    PaymentSource,
    RollStatus,
    SubjectKind,
    UserRole,
)
from app.models.imports import CreditChange, ImportProfile, ScheduleImport
from app.models.ledger import Allocation, Payment
from app.models.records import AuditEvent, Communication, Document, User
from app.models.registry import AdministratorAssignment, Creditor, Subject

__all__ = [
    "AdministratorAssignment",
    "Allocation",
    "AuditEvent",
    "Base",
    "Channel",
    "Communication",
    "CommunicationStatus",
    "Credit",
    "CreditChange",
    "CreditKind",
    "CreditStatus",
    "Creditor",
    "Document",
    "DocumentKind",
    "ImportProfile",
    "NoticeKind",
    "NoticeStatus",
    "Payment",
    "PaymentNotice",
    "PaymentSource",
    "Roll",
    "RollStatus",
    "ScheduleImport",
    "Subject",
    "SubjectKind",
    "User",
    "UserRole",
]
