"""Words for the codes the web app shows: document statuses, field states, decisions, failure reasons.

Functions, not module constants: each call translates in the language of the request being answered.
"""

from __future__ import annotations

from ingest.i18n import _
from ingest.reasons import code_titles
from models.tables import AS_PRINTED, CORRECTED, NOT_PRINTED, SUGGESTION_TAKEN, UNREADABLE, Correction


def status_label(status: str) -> str:
    """A document's or report's status."""
    return {
        "queued": _("queued"),
        "processing": _("processing"),
        "done": _("done"),
        "needs_review": _("needs review"),
        "failed": _("failed"),
    }.get(status, status)


def state_label(state: str) -> str:
    """A field's state as a cell of the report shows it."""
    return {
        "ok": _("ok"),
        "review": _("to review"),
        "missing": _("not in the record"),
        **decision_labels(),
    }.get(state, state)


def decision_labels() -> dict[str, str]:
    return {
        AS_PRINTED: _("as printed"),
        CORRECTED: _("misread, corrected"),
        UNREADABLE: _("unreadable"),
        NOT_PRINTED: _("not printed in this document"),
    }


def decision_label(correction: Correction) -> str:
    """The decision in words; a taken suggestion says it was one."""
    if correction.decision == CORRECTED and correction.reason == SUGGESTION_TAKEN:
        return _("misread, corrected to the suggested value")
    return decision_labels().get(correction.decision, correction.decision)


def failure_label(code: str | None) -> str:
    """Why a file failed, in words a person can act on (the worker's message says the details)."""
    return code_titles().get(code or "", _("failed for another reason"))


def failure_detail(reason: str | None, code: str | None) -> str:
    """The worker's own message, without the code it starts with (the label above says it in words)."""
    text = reason or ""
    prefix = f"{code}: " if code else ""
    return text[len(prefix) :] if prefix and text.startswith(prefix) else text


def role_label(role: str) -> str:
    return {"operator": _("operator"), "admin": _("admin")}.get(role, role)


def rule_label(rule: str) -> str:
    """What a table rule says, in words (the rule's id stays beside it)."""
    return {
        "t3.row_sum": _("the applicant columns add up to the total"),
        "t3.outcomes": _("the outcomes add up to the total handled"),
        "t3.balance": _("received plus carried over equals handled plus carried forward"),
        "t4.sum": _("the results add up to the total"),
        "t2.in_force": _("counts are not negative"),
        "n.vs_table": _("the figure in the text equals the table's"),
        "year.continuity": _("carried over equals last year's carried forward"),
    }.get(rule, rule)
