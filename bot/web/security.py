"""The dashboard's protections in one place: headers, cookies, form parsing, CSRF before sign-in.

- Every response gets a strict Content Security Policy (no scripts at all, styles only from our
  own stylesheet, forms only to ourselves, no framing) and the usual security headers.
- Cookies are HttpOnly and SameSite=Strict, and Secure with the __Host- prefix when the
  dashboard is served over https (DASHBOARD_URL or PUBLIC_BASE_URL starts with https://).
- Forms are parsed strictly: only application/x-www-form-urlencoded, valid UTF-8, a few known
  fields each given once, each of bounded length. Anything else is a clear 400.
- Before sign-in there is no session, so the sign-in form's CSRF token is an HMAC (SECRET_KEY)
  of a random value in a short-lived cookie (double submit, signed).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import parse_qs

from bot.settings import get_settings

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
MAX_FORM_FIELDS = 10
MAX_FIELD_CHARS = 1024


class BadForm(ValueError):
    """A form post we will not act on; the message is safe to show."""


def uses_https() -> bool:
    settings = get_settings()
    return (settings.dashboard_public_url or settings.public_base_url).startswith("https://")


def security_headers() -> dict[str, str]:
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    if uses_https():
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return headers


def cookie_name(base: str) -> str:
    """ "__Host-" names cannot be set by another subdomain or over plain http."""
    return f"__Host-{base}" if uses_https() else base


SESSION_COOKIE = "alongside_session"
PRE_SESSION_COOKIE = "alongside_pre"


def set_cookie(response, base: str, value: str, max_age: int | None = None) -> None:
    name = cookie_name(base)
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"] = "/"
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    if uses_https():
        cookie["secure"] = True
    if max_age is not None:
        cookie["max-age"] = max_age


def clear_cookie(response, base: str) -> None:
    set_cookie(response, base, "", max_age=0)


def read_cookie(request, base: str) -> str | None:
    return request.cookies.get(cookie_name(base))


def parse_form(content_type: str | None, body: bytes, allowed: set[str]) -> dict[str, str]:
    """The fields of a urlencoded form post, or BadForm saying what is wrong."""
    if (content_type or "").split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        raise BadForm("The form was not sent in the usual way.")
    try:
        text = body.decode("utf-8")
        fields = parse_qs(
            text, keep_blank_values=True, strict_parsing=False, max_num_fields=MAX_FORM_FIELDS, errors="strict"
        )
    except (UnicodeDecodeError, ValueError):
        raise BadForm("The form could not be read.") from None
    unknown = set(fields) - allowed
    if unknown:
        raise BadForm("The form had something in it we did not expect.")
    form = {}
    for name, values in fields.items():
        if len(values) != 1:
            raise BadForm("The form had a field more than once.")
        if len(values[0]) > MAX_FIELD_CHARS or "\x00" in values[0]:
            raise BadForm("Something in the form was too long or could not be read.")
        form[name] = values[0]
    return form


def new_pre_session_value() -> str:
    return secrets.token_urlsafe(32)


def sign_in_csrf_token(pre_session_value: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, b"sign-in-csrf\x00" + pre_session_value.encode(), hashlib.sha256).hexdigest()


def sign_in_csrf_matches(pre_session_value: str | None, given: str | None) -> bool:
    if not pre_session_value or not given or len(pre_session_value) > 100:
        return False
    return hmac.compare_digest(sign_in_csrf_token(pre_session_value).encode(), given.encode())
