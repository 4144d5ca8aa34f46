"""Headers every response carries, and the session cookie's `Secure` flag.

CSP `default-src 'self'`: no inline script or style runs (the pages have none; their JS is in
web/static), so an escaping slip cannot become script. `frame-ancestors 'none'` and X-Frame-Options:
no clickjacking through a frame. The cookie is marked Secure when the request came over https, including
through a proxy that says so (uvicorn trusts X-Forwarded-Proto from --forwarded-allow-ips only).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.settings import web_settings

SESSION_COOKIE = "ingest_session"
CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


def _secure(scope: Scope) -> bool:
    mode = web_settings().secure_cookie
    return mode == "on" or (mode == "auto" and scope.get("scheme") == "https")


def _with_secure(value: bytes) -> bytes:
    if value.startswith(SESSION_COOKIE.encode() + b"=") and b"; secure" not in value.lower():
        return value + b"; Secure"
    return value


class EdgeHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = _secure(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, _with_secure(v) if secure and k.lower() == b"set-cookie" else v)
                    for k, v in message.get("headers", [])
                ]
                message = {**message, "headers": headers + SECURITY_HEADERS}
            await send(message)

        await self.app(scope, receive, send_with_headers)
