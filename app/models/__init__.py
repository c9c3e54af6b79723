"""The data model: typed SQLAlchemy tables and the small rules that need no session."""

from app.models.base import Base
from app.models.credits import Credit, PaymentNotice, Roll, RollEvent
from app.models.dunning import CommunicationItem, DunningLevel, DunningPolicy
from app.models.enums import (
    BankFileFormat,
    Channel,
    CommunicationStatus,
    CreditKind,
    CreditStatus,
    DocumentKind,
    DunningHold,
    MatchRule,
    NoticeKind,
    NoticeStatus,
    PaymentSource,
    PaymentStatus,
    RollStatus,
    SubjectKind,
    UserRole,
)
from app.models.imports import CreditChange, ImportProfile, ScheduleImport
from app.models.ledger import Allocation, BankFile, Payment
from app.models.records import AuditEvent, Communication, CommunicationEvent, Document, User
from app.models.registry import AdministratorAssignment, Creditor, Subject

__all__ = [
    "AdministratorAssignment",
    "Allocation",
    "AuditEvent",
    "BankFile",
    "BankFileFormat",
    "Base",
    "Channel",
    "Communication",
    "CommunicationEvent",
    "CommunicationItem",
    "CommunicationStatus",
    "Credit",
    "CreditChange",
    "CreditKind",
    "CreditStatus",
    "Creditor",
    "Document",
    "DocumentKind",
    "DunningHold",
    "DunningLevel",
    "DunningPolicy",
    "ImportProfile",
    "MatchRule",
    "NoticeKind",
    "NoticeStatus",
    "Payment",
    "PaymentNotice",
    "PaymentSource",
    "PaymentStatus",
    "Roll",
    "RollEvent",
    "RollStatus",
    "ScheduleImport",
    "Subject",
    "SubjectKind",
    "User",
    "UserRole",
]
