"""review decisions with their meaning; a failed rule marked as the document's own; a language per user

Revision ID: 0005
Revises: 0004

Correction.decision says what a person decided (as_printed | corrected | unreadable | not_printed);
earlier rows are filled from their reason (accept → as_printed, correct → corrected, unreadable).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("correction") as batch:
        batch.add_column(
            sa.Column("decision", sa.String(length=16), nullable=False, server_default="as_printed")
        )
    op.execute("UPDATE correction SET decision = 'corrected' WHERE reason LIKE 'correct%'")
    op.execute("UPDATE correction SET decision = 'unreadable' WHERE reason LIKE 'unreadable%'")
    with op.batch_alter_table("checkresult") as batch:
        batch.add_column(
            sa.Column("document_inconsistent", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("language", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("checkresult") as batch:
        batch.drop_column("document_inconsistent")
    with op.batch_alter_table("correction") as batch:
        batch.drop_column("decision")
