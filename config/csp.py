"""The Content-Security-Policy of each kind of answer (config/middleware.py sends it; the values
are config/settings.py's CSP_PAGES, CSP_API_HTML and CSP_DATA)."""

# Our pages load only our own files: CSS files (no <style>, no style=), htmx from
# config/static/vendor/ configured by a meta tag (no inline script, no eval), no web fonts, no
# images but our own (the QR code is drawn only into the sealed PDF). Forms post, and htmx
# fetches, to us only; no site may frame a page.
PAGES = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}
# The API's HTML is not ours: Swagger UI at /api/v1/docs/ (its page has a <style>, its CSS
# data: images) and, outside tests, DRF's browsable API (style= attributes, a <style>, a web
# font). Its scripts are files of ours (the docs' settings script too: the split view), so the
# script rule stays; inline styles are allowed there only. The admin needs nothing extra.
API_HTML = {
    **PAGES,
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
}
# A JSON answer loads nothing and is framed by no one.
DATA = {"default-src": "'none'", "frame-ancestors": "'none'"}
