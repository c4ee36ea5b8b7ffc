from __future__ import annotations

from agenthook.cli import main

raise SystemExit(main())
