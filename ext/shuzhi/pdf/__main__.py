"""``python -m shuzhi.pdf`` — see :mod:`shuzhi.pdf.command`."""

from __future__ import annotations

from .command import main

raise SystemExit(main())
