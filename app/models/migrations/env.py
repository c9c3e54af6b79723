"""Alembic environment: runs on the connection CreditDesk hands it, never on a URL from a file."""

from alembic import context

from app.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("CreditDesk migrations run through `creditdesk db upgrade`, which provides the connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    user_module_prefix="app.models.types.",
)
with context.begin_transaction():
    context.run_migrations()
