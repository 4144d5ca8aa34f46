"""The template layouts the generator needs, read from `ingest/templates/fields.json` so the synthetic
documents carry exactly the labels the extractor is built against."""

from __future__ import annotations

from typing import Any

from ingest.templates import catalogue, table_columns, template_names

T3_COLUMNS = table_columns("t3")
T3_APPLICANTS = tuple(c for c in T3_COLUMNS if c != "total")
T4_GROUPS = ("review", "suit_direct", "suit_after_review")
T4_COLUMNS = table_columns("t4")
NARRATIVE_KEYS = ("n.active_disclosed", "n.requests_received", "n.reviews", "n.lawsuits")
TABLE_TEMPLATES = template_names()


def template_fields(template: str) -> list[dict[str, Any]]:
    """Every key of a table template in document order; the narrative template has none."""
    return [f.model_dump() for f in catalogue().templates.get(template, [])]


def template_keys(template: str) -> list[str]:
    return [f["key"] for f in template_fields(template)]


def t3_rows(template: str) -> list[str]:
    """t3 row names (`granted`, `denied_secret`, …) in document order."""
    rows: list[str] = []
    for f in template_fields(template):
        if f["table"] == "t3":
            row = f["key"].split(".")[1]
            if row not in rows:
                rows.append(row)
    return rows


def t3_outcome_rows(template: str) -> list[str]:
    """The rows under 三、本年度办理结果 that add up to （七）总计."""
    return [
        r for r in t3_rows(template) if r not in ("new_received", "carried_over", "total", "carried_forward")
    ]


def t3_row_label(template: str, row: str) -> str:
    for f in template_fields(template):
        if f["key"] == f"t3.{row}.natural":
            return str(f["row_label"])
    raise KeyError(row)


def t2_items(template: str) -> list[tuple[str, list[str], list[tuple[str, list[str]]]]]:
    """t2 as its sub-tables: (第二十条 item, column labels, [(row label, keys)])."""
    items: list[tuple[str, list[str], list[tuple[str, list[str]]]]] = []
    for f in template_fields(template):
        if f["table"] != "t2":
            continue
        if not items or items[-1][0] != f["item"]:
            items.append((f["item"], [], []))
        _, cols, rows = items[-1]
        if not rows or rows[-1][0] != f["row_label"]:
            rows.append((f["row_label"], []))
        rows[-1][1].append(f["key"])
        if f["col_label"] not in cols:
            cols.append(f["col_label"])
    return items


def field_type(template: str, key: str) -> str:
    for f in template_fields(template):
        if f["key"] == key:
            return str(f["type"])
    return "int"
