"""Static site generator for data-backed strategy dossiers."""

__version__ = "0.1.0"
