"""storing at reading speed: field indexes the queries use and no more; the reading's info per document

Revision ID: 0004
Revises: 0003

ix_field_report_id duplicated the leading column of uq_field_report_key, and nothing looks fields up by
key alone (ix_field_key): both only slowed every store. The review queue and its backlog filter
`status = 'review'`; a partial index holds just those rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

REVIEW = sa.text("status = 'review'")


def upgrade() -> None:
    op.add_column("document", sa.Column("info", sa.JSON(), nullable=True))
    op.drop_index("ix_field_report_id", table_name="field")
    op.drop_index("ix_field_key", table_name="field")
    op.create_index("ix_field_review", "field", ["report_id"], sqlite_where=REVIEW, postgresql_where=REVIEW)


def downgrade() -> None:
    op.drop_index("ix_field_review", table_name="field")
    op.create_index("ix_field_key", "field", ["key"])
    op.create_index("ix_field_report_id", "field", ["report_id"])
    with op.batch_alter_table("document") as batch:
        batch.drop_column("info")
