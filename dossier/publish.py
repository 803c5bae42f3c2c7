"""Files for publishing on the web: robots.txt, sitemap.xml, .nojekyll (placeholder)."""


def extra_files(site, files: dict) -> dict[str, bytes]:
    """Return publishing files, output path → bytes."""
    return {}
