"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 14:45:11.229030
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "creditor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tax_code", sa.String(length=16), nullable=True),
        sa.Column("vat_number", sa.String(length=11), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=5), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("province", sa.String(length=2), nullable=True),
        sa.Column("iban", sa.String(length=34), nullable=True),
        sa.Column("abi", sa.String(length=5), nullable=True),
        sa.Column("cab", sa.String(length=5), nullable=True),
        sa.Column("account", sa.String(length=12), nullable=True),
        sa.Column("sia_code", sa.String(length=5), nullable=True),
        sa.Column("pec", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("logo_path", sa.String(length=500), nullable=True),
        sa.Column(
            "notice_kind",
            sa.Enum(
                "mav", "pagopa", "transfer", name="notice_kind", native_enum=False, create_constraint=True, length=24
            ),
            nullable=False,
        ),
        sa.Column("created_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_creditor")),
        sa.UniqueConstraint("name", name=op.f("uq_creditor_name")),
    )
    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "clerk",
                "supervisor",
                "collector",
                "admin",
                name="user_role",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user")),
        sa.UniqueConstraint("login", name=op.f("uq_user_login")),
    )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.create_index("ix_user_display_name", ["display_name"], unique=False)

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("entity", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_audit_event_user_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_at", ["at"], unique=False)
        batch_op.create_index("ix_audit_event_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "roll",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("creditor_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("campaign", sa.String(length=100), nullable=True),
        sa.Column("credit_type", sa.String(length=100), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "sent_to_bank",
                "notices_issued",
                "in_collection",
                "closed",
                name="roll_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("sent_at", app.models.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", app.models.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["creditor_id"], ["creditor.id"], name=op.f("fk_roll_creditor_id_creditor"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roll")),
        sa.UniqueConstraint("creditor_id", "name", "year", name=op.f("uq_roll_creditor_id_name_year")),
    )
    op.create_table(
        "subject",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("creditor_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "person",
                "company",
                "condominium",
                "administrator",
                name="subject_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("tax_code", sa.String(length=16), nullable=True),
        sa.Column("vat_number", sa.String(length=11), nullable=True),
        sa.Column("tax_code_problem", sa.String(length=200), nullable=True),
        sa.Column("vat_number_problem", sa.String(length=200), nullable=True),
        sa.Column("street", sa.String(length=200), nullable=True),
        sa.Column("postal_code", sa.String(length=5), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("province", sa.String(length=2), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("mobile", sa.String(length=16), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("pec", sa.String(length=200), nullable=True),
        sa.Column("whatsapp_consent", sa.Boolean(), nullable=False),
        sa.Column("whatsapp_consent_date", sa.Date(), nullable=True),
        sa.Column(
            "preferred_channel",
            sa.Enum(
                "whatsapp",
                "email",
                "pec",
                "post",
                "registered_letter",
                name="channel",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "whatsapp_consent = false OR whatsapp_consent_date IS NOT NULL", name=op.f("ck_subject_consent_has_date")
        ),
        sa.ForeignKeyConstraint(
            ["creditor_id"], ["creditor.id"], name=op.f("fk_subject_creditor_id_creditor"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subject")),
    )
    with op.batch_alter_table("subject", schema=None) as batch_op:
        batch_op.create_index("ix_subject_creditor_name", ["creditor_id", "name"], unique=False)
        batch_op.create_index("ix_subject_tax_code", ["tax_code"], unique=False)
        batch_op.create_index("ix_subject_vat_number", ["vat_number"], unique=False)

    op.create_table(
        "administrator_assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("condominium_id", sa.Integer(), nullable=False),
        sa.Column("administrator_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.CheckConstraint("condominium_id <> administrator_id", name=op.f("ck_administrator_assignment_not_self")),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_administrator_assignment_valid_range")
        ),
        sa.ForeignKeyConstraint(
            ["administrator_id"],
            ["subject.id"],
            name=op.f("fk_administrator_assignment_administrator_id_subject"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["condominium_id"],
            ["subject.id"],
            name=op.f("fk_administrator_assignment_condominium_id_subject"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_administrator_assignment")),
        sa.UniqueConstraint(
            "condominium_id", "valid_from", name=op.f("uq_administrator_assignment_condominium_id_valid_from")
        ),
    )
    with op.batch_alter_table("administrator_assignment", schema=None) as batch_op:
        batch_op.create_index(
            "ix_administrator_assignment_administrator", ["administrator_id", "valid_from"], unique=False
        )
        batch_op.create_index(
            "uq_administrator_assignment_open",
            ["condominium_id"],
            unique=True,
            sqlite_where=sa.text("valid_to IS NULL"),
            postgresql_where=sa.text("valid_to IS NULL"),
        )

    op.create_table(
        "payment_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("creditor_id", sa.Integer(), nullable=False),
        sa.Column("roll_id", sa.Integer(), nullable=True),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "mav", "pagopa", "transfer", name="notice_kind", native_enum=False, create_constraint=True, length=24
            ),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=35), nullable=True),
        sa.Column("amount", app.models.types.Money(precision=14, scale=2), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "requested",
                "issued",
                "paid",
                "partially_paid",
                "cancelled",
                "expired",
                name="notice_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("created_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_payment_notice_amount_not_negative")),
        sa.ForeignKeyConstraint(
            ["creditor_id"], ["creditor.id"], name=op.f("fk_payment_notice_creditor_id_creditor"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["subject.id"], name=op.f("fk_payment_notice_holder_id_subject"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["subject.id"], name=op.f("fk_payment_notice_payer_id_subject"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["roll_id"], ["roll.id"], name=op.f("fk_payment_notice_roll_id_roll"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_notice")),
        sa.UniqueConstraint("creditor_id", "kind", "code", name=op.f("uq_payment_notice_creditor_id_kind_code")),
        sa.UniqueConstraint("roll_id", "holder_id", name=op.f("uq_payment_notice_roll_id_holder_id")),
    )
    with op.batch_alter_table("payment_notice", schema=None) as batch_op:
        batch_op.create_index("ix_payment_notice_due_date", ["creditor_id", "due_date"], unique=False)
        batch_op.create_index("ix_payment_notice_payer", ["payer_id"], unique=False)

    op.create_table(
        "credit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("creditor_id", sa.Integer(), nullable=False),
        sa.Column("roll_id", sa.Integer(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=False),
        sa.Column("collector_id", sa.Integer(), nullable=True),
        sa.Column("reference", sa.String(length=50), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "invoice",
                "policy",
                "instalment",
                "other",
                name="credit_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("installation_ref", sa.String(length=50), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount", app.models.types.Money(precision=14, scale=2), nullable=False),
        sa.Column("outstanding", app.models.types.Money(precision=14, scale=2), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "issued",
                "awaiting_payment",
                "paid",
                "partially_paid",
                "overdue",
                "written_off",
                "in_legal",
                name="credit_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_credit_amount_not_negative")),
        sa.CheckConstraint("outstanding <= amount", name=op.f("ck_credit_outstanding_within_amount")),
        sa.CheckConstraint("outstanding >= 0", name=op.f("ck_credit_outstanding_not_negative")),
        sa.ForeignKeyConstraint(
            ["collector_id"], ["user.id"], name=op.f("fk_credit_collector_id_user"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["creditor_id"], ["creditor.id"], name=op.f("fk_credit_creditor_id_creditor"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["subject.id"], name=op.f("fk_credit_holder_id_subject"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["payment_notice.id"], name=op.f("fk_credit_notice_id_payment_notice"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["subject.id"], name=op.f("fk_credit_payer_id_subject"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(["roll_id"], ["roll.id"], name=op.f("fk_credit_roll_id_roll"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit")),
        sa.UniqueConstraint("creditor_id", "reference", name=op.f("uq_credit_creditor_id_reference")),
    )
    with op.batch_alter_table("credit", schema=None) as batch_op:
        batch_op.create_index("ix_credit_amount", ["creditor_id", "amount"], unique=False)
        batch_op.create_index("ix_credit_collector", ["collector_id", "creditor_id"], unique=False)
        batch_op.create_index("ix_credit_due_date", ["creditor_id", "due_date"], unique=False)
        batch_op.create_index("ix_credit_holder", ["holder_id", "creditor_id"], unique=False)
        batch_op.create_index("ix_credit_issue_date", ["creditor_id", "issue_date"], unique=False)
        batch_op.create_index("ix_credit_kind", ["creditor_id", "kind", "due_date"], unique=False)
        batch_op.create_index("ix_credit_notice", ["notice_id"], unique=False)
        batch_op.create_index("ix_credit_outstanding", ["creditor_id", "outstanding"], unique=False)
        batch_op.create_index("ix_credit_payer", ["payer_id", "creditor_id"], unique=False)
        batch_op.create_index("ix_credit_roll", ["roll_id", "creditor_id"], unique=False)
        batch_op.create_index("ix_credit_status", ["creditor_id", "status", "due_date"], unique=False)

    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("creditor_id", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.Integer(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column(
            "source",
            sa.Enum(
                "bank",
                "accounting",
                "manual",
                name="payment_source",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("amount", app.models.types.Money(precision=14, scale=2), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        sa.Column("created_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_amount_positive")),
        sa.ForeignKeyConstraint(
            ["creditor_id"], ["creditor.id"], name=op.f("fk_payment_creditor_id_creditor"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["payment_notice.id"], name=op.f("fk_payment_notice_id_payment_notice"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["subject.id"], name=op.f("fk_payment_payer_id_subject"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint(
            "creditor_id", "source", "external_id", name=op.f("uq_payment_creditor_id_source_external_id")
        ),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index("ix_payment_payer", ["payer_id"], unique=False)
        batch_op.create_index("ix_payment_received_on", ["creditor_id", "received_on"], unique=False)

    op.create_table(
        "allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("credit_id", sa.Integer(), nullable=False),
        sa.Column("amount", app.models.types.Money(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_allocation_amount_positive")),
        sa.ForeignKeyConstraint(
            ["credit_id"], ["credit.id"], name=op.f("fk_allocation_credit_id_credit"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payment.id"], name=op.f("fk_allocation_payment_id_payment"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation")),
        sa.UniqueConstraint("payment_id", "credit_id", name=op.f("uq_allocation_payment_id_credit_id")),
    )
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.create_index("ix_allocation_credit", ["credit_id"], unique=False)

    op.create_table(
        "communication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("creditor_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("credit_id", sa.Integer(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column(
            "channel",
            sa.Enum(
                "whatsapp",
                "email",
                "pec",
                "post",
                "registered_letter",
                name="channel",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("template", sa.String(length=100), nullable=True),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "queued",
                "sending",
                "sent",
                "delivered",
                "read",
                "failed",
                "unknown",
                "cancelled",
                name="communication_status",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("scheduled_for", app.models.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", app.models.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("provider_id", sa.String(length=200), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["credit_id"], ["credit.id"], name=op.f("fk_communication_credit_id_credit"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["creditor_id"], ["creditor.id"], name=op.f("fk_communication_creditor_id_creditor"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"],
            ["payment_notice.id"],
            name=op.f("fk_communication_notice_id_payment_notice"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_communication_subject_id_subject"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_communication")),
    )
    with op.batch_alter_table("communication", schema=None) as batch_op:
        batch_op.create_index("ix_communication_credit", ["credit_id"], unique=False)
        batch_op.create_index("ix_communication_notice", ["notice_id"], unique=False)
        batch_op.create_index("ix_communication_status", ["creditor_id", "status"], unique=False)
        batch_op.create_index("ix_communication_subject", ["subject_id"], unique=False)

    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("creditor_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "notice_pdf",
                "invoice",
                "letter",
                "pec_receipt",
                "return_receipt",
                "bank_file",
                "other",
                name="document_kind",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("relative_path", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=True),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("credit_id", sa.Integer(), nullable=True),
        sa.Column("roll_id", sa.Integer(), nullable=True),
        sa.Column("notice_id", sa.Integer(), nullable=True),
        sa.Column("communication_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.models.types.UtcDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("size >= 0", name=op.f("ck_document_size_not_negative")),
        sa.ForeignKeyConstraint(
            ["communication_id"],
            ["communication.id"],
            name=op.f("fk_document_communication_id_communication"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["credit_id"], ["credit.id"], name=op.f("fk_document_credit_id_credit"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["creditor_id"], ["creditor.id"], name=op.f("fk_document_creditor_id_creditor"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["payment_notice.id"], name=op.f("fk_document_notice_id_payment_notice"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["roll_id"], ["roll.id"], name=op.f("fk_document_roll_id_roll"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["subject_id"], ["subject.id"], name=op.f("fk_document_subject_id_subject"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("creditor_id", "relative_path", name=op.f("uq_document_creditor_id_relative_path")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index("ix_document_credit", ["credit_id"], unique=False)
        batch_op.create_index("ix_document_notice", ["notice_id"], unique=False)
        batch_op.create_index("ix_document_roll", ["roll_id"], unique=False)
        batch_op.create_index("ix_document_subject", ["subject_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index("ix_document_subject")
        batch_op.drop_index("ix_document_roll")
        batch_op.drop_index("ix_document_notice")
        batch_op.drop_index("ix_document_credit")

    op.drop_table("document")
    with op.batch_alter_table("communication", schema=None) as batch_op:
        batch_op.drop_index("ix_communication_subject")
        batch_op.drop_index("ix_communication_status")
        batch_op.drop_index("ix_communication_notice")
        batch_op.drop_index("ix_communication_credit")

    op.drop_table("communication")
    with op.batch_alter_table("allocation", schema=None) as batch_op:
        batch_op.drop_index("ix_allocation_credit")

    op.drop_table("allocation")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_received_on")
        batch_op.drop_index("ix_payment_payer")

    op.drop_table("payment")
    with op.batch_alter_table("credit", schema=None) as batch_op:
        batch_op.drop_index("ix_credit_status")
        batch_op.drop_index("ix_credit_roll")
        batch_op.drop_index("ix_credit_payer")
        batch_op.drop_index("ix_credit_outstanding")
        batch_op.drop_index("ix_credit_notice")
        batch_op.drop_index("ix_credit_kind")
        batch_op.drop_index("ix_credit_issue_date")
        batch_op.drop_index("ix_credit_holder")
        batch_op.drop_index("ix_credit_due_date")
        batch_op.drop_index("ix_credit_collector")
        batch_op.drop_index("ix_credit_amount")

    op.drop_table("credit")
    with op.batch_alter_table("payment_notice", schema=None) as batch_op:
        batch_op.drop_index("ix_payment_notice_payer")
        batch_op.drop_index("ix_payment_notice_due_date")

    op.drop_table("payment_notice")
    with op.batch_alter_table("administrator_assignment", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_administrator_assignment_open",
            sqlite_where=sa.text("valid_to IS NULL"),
            postgresql_where=sa.text("valid_to IS NULL"),
        )
        batch_op.drop_index("ix_administrator_assignment_administrator")

    op.drop_table("administrator_assignment")
    with op.batch_alter_table("subject", schema=None) as batch_op:
        batch_op.drop_index("ix_subject_vat_number")
        batch_op.drop_index("ix_subject_tax_code")
        batch_op.drop_index("ix_subject_creditor_name")

    op.drop_table("subject")
    op.drop_table("roll")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_entity")
        batch_op.drop_index("ix_audit_event_at")

    op.drop_table("audit_event")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_index("ix_user_display_name")

    op.drop_table("user")
    op.drop_table("creditor")
