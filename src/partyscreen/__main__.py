"""``python -m partyscreen`` runs the command-line tool."""

from partyscreen.cli import main

raise SystemExit(main())
