"""the archive: agencies and their merges, year.continuity across reports, full-text search

Revision ID: 0007
Revises: 0006

Full text: SQLite gets an FTS5 table with the trigram tokenizer (Chinese has no spaces to split words
on; trigrams match any 3+ character run); PostgreSQL a plain table with a pg_trgm GIN index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("agency_key", sa.String(), nullable=True))
        batch.add_column(sa.Column("agency_id", sa.String(), nullable=True))
        batch.create_index("ix_report_agency_id", ["agency_id"])
    op.create_table(
        "agency",
        sa.Column("id", sa.String(length=200), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("province_code", sa.String(), nullable=True),
        sa.Column("province", sa.String(), nullable=True),
        sa.Column("city_code", sa.String(), nullable=True),
        sa.Column("city", sa.String(), nullable=True),
        sa.Column("county_code", sa.String(), nullable=True),
        sa.Column("county", sa.String(), nullable=True),
        sa.Column("candidates", sa.JSON(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
    )
    for level in ("province", "city", "county"):
        op.create_index(f"ix_agency_{level}_code", "agency", [f"{level}_code"])
    op.create_table(
        "agency_merge",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_id", sa.String(length=200), sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("target_id", sa.String(length=200), sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=True),
        sa.Column("decided_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.UniqueConstraint("source_id", "target_id", name="uq_agency_merge_pair"),
    )
    op.create_index("ix_agency_merge_source_id", "agency_merge", ["source_id"])
    op.create_index("ix_agency_merge_target_id", "agency_merge", ["target_id"])
    op.create_table(
        "agency_decision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("merge_id", sa.Integer(), sa.ForeignKey("agency_merge.id"), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("who", sa.String(), nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_agency_decision_merge_id", "agency_decision", ["merge_id"])
    op.create_table(
        "year_check",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("agency_id", sa.String(length=200), nullable=False),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("report.id"), nullable=False),
        sa.Column("previous_report_id", sa.Integer(), sa.ForeignKey("report.id"), nullable=False),
        sa.Column("scope", sa.String(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("this_value", sa.String(), nullable=True),
        sa.Column("previous_value", sa.String(), nullable=True),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("checked_at", TS, nullable=False),
    )
    for column in ("agency_id", "report_id", "previous_report_id"):
        op.create_index(f"ix_year_check_{column}", "year_check", [column])
    op.create_table(
        "continuity_flag",
        sa.Column("field_id", sa.Integer(), primary_key=True),
        sa.Column("prior_status", sa.String(), nullable=False),
    )
    _create_search()


def _create_search() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE report_text USING fts5(text, report_id UNINDEXED, page UNINDEXED, "
            "tokenize='trigram')"
        )
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "report_text",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("report_id", sa.Integer(), sa.ForeignKey("report.id"), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
    )
    op.create_index("ix_report_text_report_id", "report_text", ["report_id"])
    op.execute("CREATE INDEX ix_report_text_trgm ON report_text USING gin (text gin_trgm_ops)")


def downgrade() -> None:
    op.drop_table("report_text")
    op.drop_table("continuity_flag")
    op.drop_table("year_check")
    op.drop_table("agency_decision")
    op.drop_table("agency_merge")
    op.drop_table("agency")
    with op.batch_alter_table("report") as batch:
        batch.drop_index("ix_report_agency_id")
        batch.drop_column("agency_id")
        batch.drop_column("agency_key")
