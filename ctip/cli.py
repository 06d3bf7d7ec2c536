"""The ``ctip`` command: Django's ``manage.py``, with hyphenated command names accepted."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command; ``ctip issue-token`` is ``ctip issue_token``."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctip.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
