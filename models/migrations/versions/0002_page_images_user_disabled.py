"""page images per document (units and cleaned OCR images, for evidence crops); disabled users

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("document", sa.Column("page_images", sa.JSON(), nullable=True))
    # server_default: existing accounts stay usable.
    op.add_column("user", sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("disabled")
    with op.batch_alter_table("document") as batch:
        batch.drop_column("page_images")
