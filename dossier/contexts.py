"""What the templates need beyond a page, and the files made from the whole site."""

from __future__ import annotations

from . import typography


def extra_context(site, page) -> dict:
    """Compute what a data template needs beyond the page: the map, a region's locator.

    Called inside the page's dependency tracking, so the facts these read are recorded.
    """
    if page.template == "map.html":
        from . import maps  # folium is heavy: import it only when the map page renders

        return maps.page_context(site, page)
    if page.template == "region.html":
        from . import maps

        return maps.region_context(site, page)
    if page.template in ("regions.html", "datacentres.html"):
        from . import maps

        return (maps.regions_context if page.template == "regions.html"
                else maps.datacentres_context)(site, page)
    if page.template == "404.html":
        from . import publish  # inline CSS and the public path: 404.html works at any depth

        return publish.not_found_context(site)
    return {}


def publish_files(site, files: dict) -> dict[str, bytes]:
    """Files for publishing on the web: robots.txt, sitemap.xml, .nojekyll."""
    from . import publish

    return publish.extra_files(site, files)


def search_docs(site, files: dict) -> list[dict]:
    """The pages the search index covers, with their text and word counts."""
    docs = []
    for page in sorted(site.pages.values(), key=lambda p: p.dest):
        info = site.search.get(page.key)
        if page.dest in files and info:
            # The home page is every page's ancestor: naming it says nothing.
            section = page.parent.title if page.parent and page.parent.parent else ""
            # Titles as the pages show them (curly apostrophes, French spaces).
            docs.append({"url": page.dest, "title": typography.french(page.title),
                         "section": typography.french(section),
                         "headings": info[0], "text": info[1]})
    return docs


def static_files(site) -> dict:
    """Files copied into the site besides assets/: vendored libraries the pages use."""
    if any(p.template == "map.html" for p in site.pages.values()):
        from . import maps

        return maps.vendor_files()
    return {}
