"""Render the site's static images from the favicon's SVG and the site settings, once.

    python3 tools/make_images.py

writes ``assets/img/favicon-32.png``, ``assets/img/apple-touch-icon.png`` (from
``assets/img/favicon.svg``) and ``assets/img/social-card.png`` (1200 × 630, the ``og:image``)
with headless Chromium (/usr/bin/chromium, through Playwright). The PNGs are committed: the
build copies them like any asset and never runs this. The card is drawn from an HTML page
with the site's title from ``pyproject.toml`` and local fonts only, so the same machine gives
the same image; re-run it when the title or the mark changes, and look at the result.
"""

from __future__ import annotations

import html
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "assets" / "img"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
        "--disable-gpu", "--font-render-hinting=none"]
TOPICS = ("Cloud souverain", "Instituts Jazari", "Accord Mistral AI", "Loi Digital X.0")

CARD = """<!doctype html><html lang="fr"><meta charset="utf-8"><style>
html, body {{ margin: 0; width: 1200px; height: 630px; }}
body {{ background: #fdfcf9; color: #1d232a; font-family: "DejaVu Sans", sans-serif;
        display: flex; flex-direction: column; }}
.band {{ background: #0b6e4f; color: #fff; padding: 64px 72px 56px; display: flex; gap: 40px;
         align-items: center; }}
.band svg {{ flex: none; width: 132px; height: 132px; }}
h1 {{ font: 700 60px/1.12 "DejaVu Serif", serif; margin: 0; }}
.tag {{ font-size: 34px; line-height: 1.35; margin: 44px 72px 0; color: #1d232a; }}
.tag b {{ color: #0b6e4f; }}
ul {{ list-style: none; display: flex; gap: 16px; margin: auto 72px 60px; padding: 0; }}
li {{ font-size: 25px; border: 2px solid #d9d5c8; border-radius: 40px; padding: 8px 22px;
      color: #5a6470; background: #fff; }}
</style><body>
<div class="band">{mark}<h1>{title}</h1></div>
<p class="tag">Dossier sourcé : <b>chaque chiffre renvoie à sa source</b>,
les désaccords entre sources restent visibles.</p>
<ul>{topics}</ul>
</body></html>"""


def site_title() -> str:
    """The site's title, as the pages show it."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return settings["tool"]["dossier"]["title"]


def french_spaces(text: str) -> str:
    """A no-break space before a colon, as French wants (the card is typeset once, here)."""
    return text.replace(" :", "\u00a0:")


def main() -> int:
    """Render the three PNGs; return the exit code."""
    from playwright.sync_api import sync_playwright

    mark = (IMG / "favicon.svg").read_text("utf-8")
    card = CARD.format(mark=mark, title=html.escape(french_spaces(site_title())),
                       topics="".join(f"<li>{html.escape(t)}</li>" for t in TOPICS))
    icon = ('<!doctype html><style>html,body{{margin:0;background:transparent}}'
            'svg{{display:block;width:{0}px;height:{0}px}}</style>' + mark)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, size, page_html in (("favicon-32.png", 32, icon.format(32)),
                                      ("apple-touch-icon.png", 180, icon.format(180)),
                                      ("social-card.png", None, card)):
            width, height = (size, size) if size else (1200, 630)
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_content(page_html)
            page.screenshot(path=str(IMG / name), omit_background=bool(size))
            page.close()
            print(f"wrote assets/img/{name} ({(IMG / name).stat().st_size} bytes)")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
