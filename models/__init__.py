"""Database tables (SQLModel) and the helpers to reach them: see models/tables.py and models/db.py."""

from models.tables import (
    CheckResult,
    Correction,
    Document,
    DuplicateDrop,
    Field,
    Report,
    User,
)

__all__ = ["CheckResult", "Correction", "Document", "DuplicateDrop", "Field", "Report", "User"]
