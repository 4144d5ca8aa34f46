"""The national table templates as data: `fields.json` (the contract) plus `labels.json` (label variants).

A template is an ordered list of row specs per table. A row spec knows its key prefix, the labels a report
may print for it, and its columns in order. Everything the mapping stage knows about a template is here.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic import Field as PydField

from ingest.normalize import label_key

_DIR = Path(__file__).parent

# Enumerators that prefix labels ("一、", "（三）", "1.") carry no meaning for matching.
_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+|\d+)(?=\D)")


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str
    type: str  # int, signed_int, decimal_wan, str, date, enum
    label: str


@dataclass(slots=True)
class RowSpec:
    table: str  # t2, t3, t4
    key: str  # e.g. "t3.denied_secret"
    labels: list[str]  # label keys (normalized) that name this row, most specific first
    group_label: str | None  # e.g. "不予公开" for the (三) sub-rows; names the first sub-row too
    columns: list[FieldSpec] = field(default_factory=list)
    section: str | None = None  # t2: the 第二十条 item the row belongs to
    group: str | None = None  # t3: the group every sub-row of "（三）不予公开" shares
    number: str | None = None  # a sub-row's own number as printed before its label ("3" of "3.其他")

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


@dataclass(slots=True)
class Template:
    name: str
    rows: list[RowSpec]  # t2 then t3 rows, in print order
    t4: RowSpec | None  # t4 is one row of 15 cells (3 groups × 5 columns) in the national layout
    fields: dict[str, FieldSpec]

    def table_rows(self, table: str) -> list[RowSpec]:
        return [r for r in self.rows if r.table == table]

    def group_rows(self, group: str) -> list[RowSpec]:
        return [r for r in self.rows if r.group == group]


def strip_enumerator(key: str) -> str:
    return _ENUMERATOR.sub("", key, count=1)


class CatalogueField(BaseModel):
    """One key of `fields.json`: meta and narrative keys carry `label`; table keys their row and column."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str = PydField(pattern=r"^(meta|n|t[234])\.[a-z0-9_.]+$")
    type: Literal["int", "signed_int", "decimal_wan", "str", "date", "enum"]
    label: str | None = None
    table: Literal["t2", "t3", "t4"] | None = None
    item: str | None = None
    row_label: str | None = None
    col_label: str | None = None
    values: list[str] | None = None  # an enum's allowed values (meta.template)


class Catalogue(BaseModel):
    """`fields.json`, the contract: every key with its Chinese labels, per template."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    meta: list[CatalogueField]
    narrative: list[CatalogueField]
    templates: dict[str, list[CatalogueField]]

    @model_validator(mode="after")
    def _table_keys_are_complete(self) -> Catalogue:
        for name, specs in self.templates.items():
            keys = [s.key for s in specs]
            if len(keys) != len(set(keys)):
                raise ValueError(f"template {name}: a key is listed twice")
            for spec in specs:
                if not (spec.table and spec.row_label and spec.col_label) or not spec.key.startswith(
                    spec.table
                ):
                    raise ValueError(f"template {name}: {spec.key} needs its table, row_label and col_label")
        return self


class TemplateNotes(BaseModel):
    """`labels.json`: what a report prints besides the contract's own labels, and template-specific rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    doc: str = PydField(alias="_doc", default="")
    row_aliases: dict[str, list[str]]
    template_markers: dict[str, list[str]]
    template_years: dict[str, tuple[int, int]]
    template_rules: dict[str, list[str]] = {}
    table_vocabulary: list[str]
    # Words by which prose names one t2 column (column name → words): "现行有效行政规范性文件698件" states
    # t2.normative.in_force, which decides a glued t2 run's cut (ingest/glued.py).
    prose_columns: dict[str, list[str]] = {}
    t4_header: list[str]


def template_dir() -> Path:
    """Where the template data lives; `INGEST_TEMPLATE_DIR` points elsewhere (a site's own templates)."""
    return Path(os.environ.get("INGEST_TEMPLATE_DIR") or _DIR)


@cache
def catalogue() -> Catalogue:
    """`fields.json`, validated: a broken edit fails here, on load, naming what is wrong."""
    return Catalogue.model_validate_json((template_dir() / "fields.json").read_text(encoding="utf-8"))


@cache
def _notes() -> TemplateNotes:
    notes = TemplateNotes.model_validate_json((template_dir() / "labels.json").read_text(encoding="utf-8"))
    unknown = (set(notes.template_markers) | set(notes.template_years)) - set(catalogue().templates)
    if unknown:
        raise ValueError(f"labels.json names templates fields.json does not have: {sorted(unknown)}")
    return notes


def template_names() -> tuple[str, ...]:
    """The table templates, in the order fields.json lists them."""
    return tuple(catalogue().templates)


@cache
def all_fields() -> dict[str, CatalogueField]:
    """Every key of the contract (meta, narrative, each template's tables) with its labels and type."""
    out = {f.key: f for f in [*catalogue().meta, *catalogue().narrative]}
    for specs in catalogue().templates.values():
        out.update({f.key: f for f in specs})
    return out


def template_rules(name: str) -> list[str]:
    """Rules only this template has (the 2021 `t2.in_force`)."""
    return list(_notes().template_rules.get(name, []))


def table_columns(table: str) -> tuple[str, ...]:
    """The column names a table prints, in order, over every template (t3: natural … total)."""
    out: dict[str, None] = {}
    for specs in catalogue().templates.values():
        for spec in specs:
            if spec.table == table:
                out[spec.key.rsplit(".", 1)[1]] = None
    return tuple(out)


def clear_caches() -> None:
    """Forget loaded templates (after `INGEST_TEMPLATE_DIR` changes)."""
    for fn in (catalogue, _notes, all_fields, load_template, printed_as_one_row):
        fn.cache_clear()


def meta_fields() -> list[FieldSpec]:
    return [FieldSpec(f.key, f.type, f.label or "") for f in catalogue().meta]


def narrative_fields() -> list[FieldSpec]:
    return [FieldSpec(f.key, f.type, f.label or "") for f in catalogue().narrative]


def template_markers() -> dict[str, list[str]]:
    return {name: [label_key(m) for m in marks] for name, marks in _notes().template_markers.items()}


def prose_column_words() -> dict[str, list[str]]:
    """Column name → the words (as label keys) by which prose names that t2 column."""
    return {col: [label_key(w) for w in words] for col, words in _notes().prose_columns.items()}


def table_vocabulary() -> list[str]:
    """Terms only the national tables print: two of them mean the document has the tables."""
    return [label_key(x) for x in _notes().table_vocabulary]


@cache
def printed_as_one_row() -> dict[str, tuple[str, ...]]:
    """A group of one template printed as the other template's single row: that row's key → the group's
    sub-row keys (the 2019 t3.other stands for the 2021 other_no_correction, other_unpaid_fee, other_misc).
    Found from the data: a row of one template labelled as a group of another."""
    out: dict[str, tuple[str, ...]] = {}
    for name in template_names():
        for other in template_names():
            groups = {r.group for r in load_template(other).rows if r.group}
            for row in load_template(name).rows:
                for group in groups.intersection(row.labels):
                    out[row.key] = tuple(r.key for r in load_template(other).group_rows(group))
    return {k: v for k, v in out.items() if len(v) > 1}


def template_years() -> dict[str, tuple[int, int]]:
    return {name: (lo, hi) for name, (lo, hi) in _notes().template_years.items()}


def t4_header_keys() -> set[str]:
    return {label_key(x) for x in _notes().t4_header}


@cache
def load_template(name: str) -> Template:
    specs = catalogue().templates[name]
    aliases = _notes().row_aliases
    rows: dict[str, RowSpec] = {}
    seen_groups: set[str] = set()
    for spec in specs:
        row_key = spec.key.rsplit(".", 1)[0]
        if row_key not in rows:
            rows[row_key] = _row_spec(row_key, spec, aliases.get(row_key, []), seen_groups)
        rows[row_key].columns.append(FieldSpec(spec.key, spec.type, spec.col_label or ""))
    t4 = RowSpec(table="t4", key="t4", labels=[], group_label=None)
    for row in [r for r in rows.values() if r.table == "t4"]:
        t4.columns.extend(row.columns)
    fields = {s.key: FieldSpec(s.key, s.type, s.col_label or "") for s in specs}
    return Template(name, [r for r in rows.values() if r.table != "t4"], t4, fields)


# A sub-row's own number as printed: "3" of "3.其他".
_SUB_ROW_NUMBER = re.compile(r"^\s*(\d+)[.．、]")


def _row_spec(row_key: str, spec: CatalogueField, aliases: list[str], seen_groups: set[str]) -> RowSpec:
    table = spec.table or ""
    group, _, sub = (spec.row_label or "").rpartition(" ")
    labels = [strip_enumerator(label_key(x)) for x in [sub, *aliases]]
    group_label = group_key = None
    if group and table == "t3":
        group_key = strip_enumerator(label_key(group))
        # Only the first sub-row of a group may be named by the group's label alone.
        if group_key not in seen_groups:
            seen_groups.add(group_key)
            group_label = group_key
    return RowSpec(
        table=table,
        key=row_key,
        labels=list(dict.fromkeys(x for x in labels if x)),
        group_label=group_label,
        section=spec.item,
        group=group_key,
        number=m.group(1) if (m := _SUB_ROW_NUMBER.match(sub)) else None,
    )
