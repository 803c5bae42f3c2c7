#!/usr/bin/env python3
"""Build, check, package or preview the dossier: ``python build.py [build|check|zip|serve]``."""

import sys

from dossier.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
