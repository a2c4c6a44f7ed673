"""``python -m shuzhi.publish.pdf`` — see :mod:`shuzhi.publish.pdf.volume_command`."""

from __future__ import annotations

from .volume_command import main

raise SystemExit(main())
