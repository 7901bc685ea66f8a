"""Run cpt-tui as `python -m cpt_tui`."""

from .cli import main

raise SystemExit(main())
