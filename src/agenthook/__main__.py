from __future__ import annotations

from agenthook.hookcli import main

raise SystemExit(main())
