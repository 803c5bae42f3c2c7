"""Placeholder until the map lands: no interactive map, no locator, no vendored files."""


def page_context(site, page) -> dict:
    """Context for templates/map.html."""
    return {}


def region_context(site, page) -> dict:
    """Context for templates/region.html."""
    return {}


def vendor_files() -> dict:
    """Library files the map page needs, output path → source file."""
    return {}
