"""Pages from templates: the Jinja environment (translations, labels) and `render`, which every route uses.
Its own module so that route modules need not import the app factory that includes them."""

from __future__ import annotations

from pathlib import Path

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from web import i18n, labels, layout
from web.security import csrf_token

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
i18n.install(templates.env)
templates.env.globals.update(
    status_label=labels.status_label,
    state_label=labels.state_label,
    decision_label=labels.decision_label,
    failure_label=labels.failure_label,
    failure_detail=labels.failure_detail,
    role_label=labels.role_label,
    rule_label=labels.rule_label,
    field_label=layout.col_label,
)


def render(request: Request, name: str, context: dict | None = None, status_code: int = 200) -> Response:
    """Every page gets the signed-in user's name, the CSRF token and any one-shot message."""
    ctx = {
        "csrf": csrf_token(request),
        "me": request.session.get("user"),
        "role": request.session.get("role"),
        "flash": request.session.pop("flash", None),
        **(context or {}),
    }
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
