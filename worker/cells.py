"""What a person would sign off for one field, and how it stands: the latest decision when there is one,
else the machine's reading. Every export (CSV, JSON Lines, the XLSX workbook) reads cells here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from models.db import decode_value
from models.tables import NOT_PRINTED, UNREADABLE, Correction, Field


@dataclass(frozen=True, slots=True)
class CellValue:
    value: Any
    state: str  # ok | review, or the person's decision: as_printed | corrected | unreadable | not_printed


def cell_value(f: Field, correction: Correction | None) -> CellValue:
    """The value a person would sign off, and how it stands: the one place every export (CSV, JSON Lines,
    XLSX) reads a Correction's meaning. A decision's state is the decision itself; unreadable and not
    printed carry no value."""
    if correction is not None:
        value = (
            None if correction.decision in (UNREADABLE, NOT_PRINTED) else _typed(correction.new, f.value_type)
        )
        return CellValue(value, correction.decision)
    return CellValue(decode_value(f.value, f.value_type), "ok" if f.status == "ok" else "review")


def _typed(text: str | None, value_type: str) -> Any:
    """A correction is stored as text; a number is exported as a number when it reads as one."""
    if text is None:
        return None
    try:
        return decode_value(text, value_type) if value_type in ("int", "float") else text
    except ValueError:
        return text


def latest_corrections(session: Session, field_ids: list[int] | None = None) -> dict[int, Correction]:
    """Each field's latest decision (of every field, or of `field_ids`)."""
    query = select(Correction).order_by(col(Correction.at), col(Correction.id))
    if field_ids is not None:
        query = query.where(col(Correction.field_id).in_(field_ids))
    return {c.field_id: c for c in session.exec(query)}
