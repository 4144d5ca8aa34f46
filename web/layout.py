"""The three tables laid out as the national template prints them, from fields.json."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.templates import _fields_data

T3_APPLICANTS = ("natural", "commercial", "research", "nonprofit", "legal", "other_org", "total")
T4_GROUPS = (("review", "行政复议"), ("suit_direct", "未经复议直接起诉"), ("suit_after_review", "复议后起诉"))
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")


@dataclass(slots=True)
class Row:
    label: str
    cells: list[str | None]  # field keys in column order; None where the template has no cell


@dataclass(slots=True)
class Grid:
    title: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


def _specs(template: str) -> list[dict]:
    return list(_fields_data()["templates"].get(template, []))


def t2_tables(template: str) -> list[Grid]:
    """One sub-table per 第二十条 item, its columns as that item prints them."""
    grids: dict[str, Grid] = {}
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for spec in _specs(template):
        if spec["table"] != "t2":
            continue
        grid = grids.setdefault(spec["item"], Grid(spec["item"], []))
        if spec["col_label"] not in grid.columns:
            grid.columns.append(spec["col_label"])
        rows.setdefault((spec["item"], spec["row_label"]), {})[spec["col_label"]] = spec["key"]
    for (item, label), cells in rows.items():
        grid = grids[item]
        grid.rows.append(Row(label, [cells.get(c) for c in grid.columns]))
    return list(grids.values())


def t3_rows(template: str) -> list[Row]:
    rows: dict[str, dict[str, str]] = {}
    for spec in _specs(template):
        if spec["table"] == "t3":
            rows.setdefault(spec["row_label"], {})[spec["key"].rsplit(".", 1)[1]] = spec["key"]
    return [Row(label, [cells.get(c) for c in T3_APPLICANTS]) for label, cells in rows.items()]


def t4_row() -> list[str]:
    return [f"t4.{g}.{c}" for g, _ in T4_GROUPS for c in T4_COLUMNS]


def col_label(template: str, key: str) -> str:
    for spec in _specs(template):
        if spec["key"] == key:
            return f"{spec['row_label']} · {spec['col_label']}"
    data = _fields_data()
    for spec in [*data["meta"], *data["narrative"]]:
        if spec["key"] == key:
            return str(spec["label"])
    return key
