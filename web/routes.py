"""Pages and actions. Pages need a signed-in user (else /login); images need one too (else 401);
every POST carries the session's CSRF token (else 403)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy import func
from sqlmodel import Session, col, select

from ingest.i18n import _, local_midnight
from models.archive import year_checks
from models.db import decode_value, session_scope
from models.tables import STATUSES, Correction, Document, Field, Report, User
from web import evidence, layout, review, signin, uploads
from web.render import render
from web.security import MAX_ID, DbId, api_user, check_csrf, end_session, page_user, start_session
from web.settings import web_settings
from worker.progress import dashboard_view

router = APIRouter()
PageUser = Annotated[User, Depends(page_user)]
ApiUser = Annotated[User, Depends(api_user)]
Csrf = Depends(check_csrf)
DOCUMENTS_PER_PAGE = 100
EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _safe_next(url: str | None) -> str:
    # Same-site paths only; browsers read "/\\host" as "//host", so backslashes and controls are refused too.
    if url and url.startswith("/") and not url.startswith("//") and url.isprintable() and "\\" not in url:
        return url
    return "/"


def _printable(text: str, limit: int = 200) -> str:
    """A free-text filter as a database accepts it (PostgreSQL refuses NUL), within a sane length."""
    return "".join(c for c in text if c.isprintable())[:limit]


# ---------------------------------------------------------------- sign-in


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": _safe_next(next)})


def _find_user(username: str) -> User | None:
    with session_scope() as session:
        return session.exec(select(User).where(User.username == username)).first()


@router.post("/login", dependencies=[Csrf])
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1024)],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Async so that sign-ins waiting for a hash slot hold no worker thread (pages stay answered)."""
    address = request.client.host if request.client else "unknown"
    if wait := signin.guard().retry_after(username, address):
        response = render(
            request,
            "login.html",
            {
                "next": _safe_next(next),
                "error": _("too many failed sign-ins: try again in {seconds} s").format(seconds=wait),
            },
            429,
        )
        response.headers["Retry-After"] = str(wait)
        return response
    user = await run_in_threadpool(_find_user, username)
    try:
        # Unknown and disabled names cost the same hash as known ones: timing tells nothing.
        ok = await signin.check_password(user.password_hash if user else None, password)
    except signin.Busy:
        signin.guard().not_tried(username, address)
        raise  # 503 with Retry-After (web.app)
    # A disabled account gets the same answer as a wrong password: no hint which names exist.
    if user is None or user.disabled or not ok:
        return render(
            request, "login.html", {"next": _safe_next(next), "error": _("wrong name or password")}, 401
        )
    signin.guard().succeeded(username, address)
    await run_in_threadpool(start_session, request, user)
    return _redirect(_safe_next(next))


@router.post("/logout", dependencies=[Csrf])
def logout(request: Request) -> Response:
    end_session(request)
    return _redirect("/login")


# ---------------------------------------------------------------- dashboard and documents


@router.get("/")
def dashboard(request: Request, user: PageUser) -> Response:
    start = local_midnight()  # "today" as the office counts it
    with session_scope() as session:
        by_status = dict(session.exec(select(Document.status, func.count()).group_by(Document.status)).all())
        backlog = session.exec(select(func.count()).select_from(Field).where(Field.status == "review")).one()
        finished = session.exec(
            select(func.count()).select_from(Document).where(col(Document.finished_at) >= start)
        ).one()
        decisions = session.exec(
            select(func.count()).select_from(Correction).where(col(Correction.at) >= start)
        ).one()
        wip = dashboard_view(session)
    return render(
        request,
        "dashboard.html",
        {
            "by_status": by_status,
            "statuses": STATUSES,
            "backlog": backlog,
            "finished": finished,
            "decisions": decisions,
            "wip": wip,
        },
    )


@router.get("/documents")
def documents(
    request: Request,
    user: PageUser,
    q: str = "",
    year: str = "",
    status: str = "",
    page: Annotated[int, Query(le=MAX_ID)] = 1,
) -> Response:
    q, year = _printable(q), _printable(year, 8)
    filters = {"q": q, "year": year, "status": status}
    query = _document_filters(
        select(Document, Report).join(Report, col(Report.document_id) == col(Document.id), isouter=True),
        q,
        year,
        status,
    )
    with session_scope() as session:
        total = session.exec(select(func.count()).select_from(query.subquery())).one()
        pages = max(1, -(-total // DOCUMENTS_PER_PAGE))
        page = max(1, min(page, pages))
        rows = session.exec(
            query.order_by(col(Document.id).desc())
            .offset((page - 1) * DOCUMENTS_PER_PAGE)
            .limit(DOCUMENTS_PER_PAGE)
        ).all()
    return render(
        request,
        "documents.html",
        {
            "rows": rows,
            **filters,
            "statuses": STATUSES,
            "total": total,
            "page": page,
            "pages": pages,
            "first": (page - 1) * DOCUMENTS_PER_PAGE + 1,
            "link": lambda n: _documents_link(filters, n),
        },
    )


def _document_filters(query: Any, q: str, year: str, status: str) -> Any:
    if q:
        like = f"%{q}%"
        query = query.where(
            col(Report.agency).like(like)
            | col(Document.original_name).like(like)
            | col(Document.hint_agency).like(like)
        )
    if re.fullmatch(r"[0-9]{4}", year):  # str.isdigit() also takes "²⁰²⁰", which int() refuses
        query = query.where((Report.year == int(year)) | (Document.hint_year == int(year)))
    if status in STATUSES:
        query = query.where(Document.status == status)
    return query


def _documents_link(filters: dict[str, str], page: int) -> str:
    """A page of the list with the same filters (empty ones left out)."""
    params = {k: v for k, v in filters.items() if v}
    return "/documents?" + urlencode({**params, "page": page})


@router.post("/documents/upload", max_body_size=web_settings().max_request_bytes)
async def upload(request: Request, user: PageUser) -> Response:
    """Browser drops go into the inbox folder the watcher reads: one way in, same settling and dedupe.
    The body is read here and only here, after the session is known (web.uploads checks the token)."""
    from worker.settings import get_settings

    folder = await run_in_threadpool(uploads.user_inbox, get_settings().inbox, user)
    saved = await uploads.receive_uploads(request, folder)
    request.session["flash"] = _("{count} file(s) put in the inbox: {names}").format(
        count=len(saved), names=", ".join(saved)
    )
    return _redirect("/documents")


@router.get("/documents/{doc_id}")
def document_page(request: Request, doc_id: DbId, user: PageUser) -> Response:
    """One document: its status in words; for a failed file, why, its original and a retry button."""
    with session_scope() as session:
        doc = session.get(Document, doc_id)
        if doc is None:
            raise HTTPException(404, _("no such document"))
        report = session.exec(select(Report).where(Report.document_id == doc_id)).first()
    return render(
        request, "document.html", {"doc": doc, "report": report, "has_original": _original(doc) is not None}
    )


def _original(doc: Document) -> Path | None:
    """The stored copy of the file as it was dropped, only from inside the store (a path in the database
    is never followed elsewhere)."""
    from worker.settings import get_settings

    store = get_settings().store.resolve()
    path = Path(doc.store_path).resolve()
    return path if path.is_relative_to(store) and path.is_file() else None


@router.get("/documents/{doc_id}/original")
def document_original(doc_id: DbId, user: ApiUser) -> Response:
    """The original file, as a download (never shown inline: an uploaded HTML file must not run here)."""
    with session_scope() as session:
        doc = session.get(Document, doc_id)
    path = _original(doc) if doc is not None else None
    if doc is None or path is None:
        raise HTTPException(404, _("the original file is not in the store"))
    return FileResponse(
        path,
        media_type="application/octet-stream",
        filename=Path(doc.original_name).name,
        headers={"Cache-Control": "private, no-store"},
    )


@router.post("/documents/{doc_id}/retry", dependencies=[Csrf])
def document_retry(request: Request, doc_id: DbId, user: PageUser) -> Response:
    """Any signed-in user may retry a failed file (the operators are the ones who watch the day's files);
    worker.retry is the one way to do it, as for `ingest retry`."""
    from worker.retry import requeue_failed

    queued, sent = requeue_failed([doc_id])
    if not queued:
        message = _("this document has not failed: nothing to retry")
    elif sent:
        message = _("queued again: a worker will read it shortly")
    else:
        message = _("queued again; the queue is unreachable now, the watcher will send it when it is back")
    request.session["flash"] = message
    return _redirect(f"/documents/{doc_id}")


@router.get("/documents/{doc_id}/pages/{page}.png")
def page_png(doc_id: DbId, page: int, user: ApiUser) -> Response:
    """The page image a field's boxes belong to: the PDF render, or for an OCR'd page its cleaned image."""
    with session_scope() as session:
        doc = session.get(Document, doc_id)
    # Only the document's own pages: any other number would render (and cache) an image per request.
    real = doc is not None and 1 <= page <= (doc.pages or 0) and evidence.has_page_images(doc)
    source = evidence.page_source(doc, page) if real and doc is not None else None
    if source is None:
        raise HTTPException(404, _("no page image"))
    headers = {"Cache-Control": "private, max-age=300"}
    if source.media:
        return FileResponse(source.path, media_type=source.media, headers=headers)
    return Response(evidence.png_bytes(evidence.open_page(source)), media_type="image/png", headers=headers)


# ---------------------------------------------------------------- fields: crops, panels, decisions


def _field_bundle(session: Session, field_id: int) -> tuple[Field, Report, Document]:
    f = session.get(Field, field_id)
    report = session.get(Report, f.report_id) if f else None
    doc = session.get(Document, report.document_id) if report else None
    if f is None or report is None or doc is None:
        raise HTTPException(404, _("no such field"))
    return f, report, doc


@router.get("/fields/{field_id}/crop.png")
def field_crop(field_id: DbId, user: ApiUser) -> Response:
    with session_scope() as session:
        f, _report, doc = _field_bundle(session, field_id)
    png = evidence.crop(doc, f)
    if png is None:
        raise HTTPException(404, _("no page image for this field"))
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


def field_view(session: Session, f: Field, report: Report, doc: Document) -> dict[str, Any]:
    """What a person needs to judge one field."""
    assert f.id is not None
    latest = review.latest_corrections(session, [f.id]).get(f.id)
    failed = [
        c
        for c in session.exec(
            select(review.CheckResult).where(
                review.CheckResult.report_id == report.id, col(review.CheckResult.ok).is_(False)
            )
        )
        if f.key in c.keys
    ]
    own = [r for r in f.reasons or [] if not r.startswith(review.RULE_REASON_PREFIXES)]
    return {
        "f": f,
        "report": report,
        "doc": doc,
        "machine": decode_value(f.value, f.value_type),
        "current": review.current_value(f, latest),
        "latest": latest,
        "failed": failed,
        "text": review.field_types().get(f.key) in ("str", "date", "enum"),
        "reasons": own,
        "has_image": evidence.can_crop(doc, f),
        "context": [] if evidence.has_page_images(doc) else evidence.text_context(doc, f),
    }


@router.get("/fields/{field_id}/panel")
def field_panel(request: Request, field_id: DbId, user: ApiUser) -> Response:
    with session_scope() as session:
        view = field_view(session, *_field_bundle(session, field_id))
        view["history"] = review.history(session, field_id=field_id)
    return render(request, "field_panel.html", view)


@router.post("/fields/{field_id}/decide", dependencies=[Csrf])
def decide(
    request: Request,
    field_id: DbId,
    user: PageUser,
    decision: Annotated[str, Form()],
    value: Annotated[str, Form()] = "",
    suggestion: Annotated[bool, Form()] = False,
    next: Annotated[str, Form()] = "/review",
    here: Annotated[str, Form()] = "",
) -> Response:
    """One decision (models.tables.DECISIONS). A refused one (a blank signed off, a value that does not
    parse) returns to the same field with the reason; a taken one to the top of the re-sorted queue."""
    try:
        with session_scope() as session:
            f, _report, _doc = _field_bundle(session, field_id)
            review.decide(session, f, user, decision, value, suggestion)
    except review.BadValue as exc:
        request.session["flash"] = str(exc)
        return _redirect(_safe_next(here or next))
    return _redirect(_safe_next(next))


# ---------------------------------------------------------------- review queue, report, history


@router.get("/review")
def review_queue(
    request: Request,
    user: PageUser,
    report: Annotated[int | None, Query(le=MAX_ID)] = None,
    pos: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> Response:
    with session_scope() as session:
        items = review.review_queue(session, report)
        pos = max(0, min(pos, len(items) - 1))
        current = (
            field_view(session, items[pos].field, items[pos].report, items[pos].document) if items else None
        )
    return render(
        request,
        "review.html",
        {"items": items[:300], "total": len(items), "pos": pos, "cur": current, "report_filter": report},
    )


@router.get("/reports/{report_id}")
def report_view(request: Request, report_id: DbId, user: PageUser) -> Response:
    with session_scope() as session:
        report = session.get(Report, report_id)
        if report is None:
            raise HTTPException(404, _("no such report"))
        doc = session.get(Document, report.document_id)
        rows = list(session.exec(select(Field).where(Field.report_id == report_id)))
        latest = review.latest_corrections(session, [f.id for f in rows if f.id is not None])
        checks = list(
            session.exec(select(review.CheckResult).where(review.CheckResult.report_id == report_id))
        )
        continuity = year_checks(session, [report_id])
    inconsistent = {k for c in checks if c.document_inconsistent for k in c.keys}
    cells = {f.key: _cell(f, latest.get(f.id or 0), inconsistent) for f in rows}
    template = report.template or ""
    return render(
        request,
        "report.html",
        {
            "report": report,
            "doc": doc,
            "cells": cells,
            "checks": checks,
            "t2": layout.t2_tables(template),
            "t3": layout.t3_rows(template),
            "t4": layout.t4_row(),
            "t4_groups": layout.T4_GROUPS,
            "year_checks": continuity,
            "pages": range(1, (doc.pages or 0) + 1) if doc and evidence.has_page_images(doc) else range(0),
        },
    )


def _cell(f: Field, correction: Correction | None, inconsistent: set[str]) -> dict[str, Any]:
    """A cell of the report: its value and state (the person's decision, else the machine's status);
    `inconsistent` when a rule over it fails as the document's own inconsistency."""
    value = review.current_value(f, correction)
    state = correction.decision if correction is not None else f.status
    return {
        "id": f.id,
        "value": "" if value is None else value,
        "state": state,
        "field": f,
        "inconsistent": f.key in inconsistent,
    }


@router.get("/history")
def history_page(request: Request, user: PageUser) -> Response:
    with session_scope() as session:
        rows = review.history(session)
    return render(request, "history.html", {"rows": rows, "zone": web_settings().time_zone})


# ---------------------------------------------------------------- export


@router.get("/export")
def export(user: ApiUser, fmt: str = "csv", long: bool = False) -> Response:
    from worker.export import write

    if fmt not in EXPORT_TYPES:
        raise HTTPException(400, _("format must be one of {formats}").format(formats=", ".join(EXPORT_TYPES)))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"export.{fmt}"
        with session_scope() as session:
            write(session, fmt, long, out)
        body = out.read_bytes()
    name = f"reports{'-long' if long else ''}.{fmt}"
    return Response(
        body, media_type=EXPORT_TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
