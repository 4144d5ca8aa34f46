"""The three tables laid out as the national template prints them, from fields.json."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.templates import CatalogueField, all_fields, catalogue, table_columns

T3_APPLICANTS = table_columns("t3")
T4_GROUPS = (("review", "行政复议"), ("suit_direct", "未经复议直接起诉"), ("suit_after_review", "复议后起诉"))
T4_COLUMNS = table_columns("t4")


@dataclass(slots=True)
class Row:
    label: str
    cells: list[str | None]  # field keys in column order; None where the template has no cell


@dataclass(slots=True)
class Grid:
    title: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


def _specs(template: str) -> list[CatalogueField]:
    return list(catalogue().templates.get(template, []))


def t2_tables(template: str) -> list[Grid]:
    """One sub-table per 第二十条 item, its columns as that item prints them."""
    grids: dict[str, Grid] = {}
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for spec in _specs(template):
        if spec.table != "t2" or not (spec.item and spec.row_label and spec.col_label):
            continue
        grid = grids.setdefault(spec.item, Grid(spec.item, []))
        if spec.col_label not in grid.columns:
            grid.columns.append(spec.col_label)
        rows.setdefault((spec.item, spec.row_label), {})[spec.col_label] = spec.key
    for (item, label), cells in rows.items():
        grid = grids[item]
        grid.rows.append(Row(label, [cells.get(c) for c in grid.columns]))
    return list(grids.values())


def t3_rows(template: str) -> list[Row]:
    rows: dict[str, dict[str, str]] = {}
    for spec in _specs(template):
        if spec.table == "t3" and spec.row_label:
            rows.setdefault(spec.row_label, {})[spec.key.rsplit(".", 1)[1]] = spec.key
    return [Row(label, [cells.get(c) for c in T3_APPLICANTS]) for label, cells in rows.items()]


def t4_row() -> list[str]:
    return [f"t4.{g}.{c}" for g, _ in T4_GROUPS for c in T4_COLUMNS]


def col_label(template: str, key: str) -> str:
    spec = next((s for s in _specs(template) if s.key == key), None) or all_fields().get(key)
    if spec is None:
        return key
    return f"{spec.row_label} · {spec.col_label}" if spec.row_label else spec.label or key
