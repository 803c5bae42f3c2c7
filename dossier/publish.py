"""Files for publishing on the web (robots.txt, sitemap.xml, .nojekyll) and the 404 page's context.

Everything here is deterministic: the same sources give the same bytes (no build time; a
sitemap ``lastmod`` only comes from a page's ``updated`` front matter).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape

from markupsafe import Markup

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Inlined into 404.html, in this order; print.css goes inside @media print as in base.html.
INLINE_CSS = ("assets/css/site.css", "assets/css/search.css")
PRINT_CSS = "assets/css/print.css"


def extra_files(site, files: dict) -> dict[str, bytes]:
    """Return publishing files, output path → bytes."""
    settings = site.settings
    made = {
        # GitHub Pages runs Jekyll on branch deployments, which drops files starting with
        # "_"; the Actions deployment does not, but the marker costs nothing.
        ".nojekyll": b"",
        "robots.txt": robots(settings.base_url).encode("utf-8"),
    }
    if settings.base_url:
        made["sitemap.xml"] = sitemap(settings.base_url, site.pages.values(), files)
    return made


def robots(base_url: str) -> str:
    """Allow every crawler; point at the sitemap when the public address is known."""
    text = "User-agent: *\nAllow: /\n"
    if base_url:
        text += f"Sitemap: {base_url}sitemap.xml\n"
    return text


def pretty_url(base_url: str, dest: str) -> str:
    """The public address of a page: its folder, as canonical links spell it."""
    return base_url + quote(dest.removesuffix("index.html"), safe="/@!$&'()*+,;=")


def sitemap(base_url: str, pages, files: dict) -> bytes:
    """List every built page but the 404 page, sorted by address, as sitemap XML."""
    rows = []
    for page in sorted(pages, key=lambda p: p.dest):
        if page.key == "404" or page.dest not in files:
            continue
        row = f"  <url><loc>{escape(pretty_url(base_url, page.dest))}</loc>"
        updated = str(page.updated or "")
        if DATE_RE.match(updated):
            row += f"<lastmod>{updated}</lastmod>"
        rows.append(row + "</url>")
    body = "\n".join(rows)
    text = (f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n'
            f"{body}{chr(10) if rows else ''}</urlset>\n")
    return text.encode("utf-8")


def base_path(base_url: str) -> str:
    """The path part of the public address (``/repo/``), or ``""`` when it is unknown."""
    if not base_url:
        return ""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def not_found_context(site) -> dict:
    """What templates/404.html needs: the stylesheets inline and the site's public path.

    GitHub Pages serves 404.html for a missing path at any depth, where its page-relative
    links and stylesheets would resolve against the wrong folder; inline CSS always applies.
    """
    return {"inline_css": inline_css(site.asset_files),
            "base_path": base_path(site.settings.base_url)}


def inline_css(asset_files: dict) -> Markup:
    """Concatenate the site's stylesheets for a <style> element (print rules kept apart)."""
    parts = [_read_css(asset_files, name) for name in INLINE_CSS]
    printed = _read_css(asset_files, PRINT_CSS)
    if printed:
        parts.append("@media print {\n" + printed + "\n}")
    # "</" cannot occur in CSS outside strings and comments; escaping it keeps the
    # <style> element closed only where the template closes it.
    return Markup("\n".join(p for p in parts if p).replace("</", "<\\/"))


def _read_css(asset_files: dict, name: str) -> str:
    """Read one stylesheet of the site, or ``""`` when the site has none of that name."""
    path = asset_files.get(name)
    return path.read_text("utf-8") if path is not None else ""
