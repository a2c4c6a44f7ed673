"""Yearly printed volumes (年度汇编): one typeset PDF per year of reports.

``python -m shuzhi.publish.pdf`` (``make pdf``) lists each year's reports with the one
parser (:func:`shuzhi.model.parse_report`), writes a volume root document per
year into the gitignored work folder ``_build/.pdf/volumes/``, runs Sphinx's
LaTeX builder once for all volumes (XeLaTeX, ctex/xeCJK, Fandol fonts, GB/T
9704 page layout) and ``latexmk`` once per volume, and copies each PDF to
``_build/pdf/<year>年度述职报告汇编.pdf``.

=============  ==========================================================
toolchain      is XeLaTeX with the Chinese packages and fonts installed?
volume         which reports go into which volume, and in what order
latex          LaTeX settings: fonts, page layout, cover, headings
sphinxext      the Sphinx extension loaded only for the PDF build
command        the ``python -m shuzhi.publish.pdf`` entry point
=============  ==========================================================

This module stays free of Sphinx imports: the HTML site calls
:func:`volume_filename` and :func:`publish_volumes` to link each year page to
its volume.
"""

from __future__ import annotations

import shutil
from pathlib import Path

#: where the volumes go, relative to the archive root
PDF_DIR = Path("_build") / "pdf"
#: the folder inside the HTML output that holds copies of the volumes
HTML_SUBDIR = "pdf"


def volume_filename(year: int | str) -> str:
    """``2023`` → ``2023年度述职报告汇编.pdf`` (the name in ``_build/pdf/``)."""
    return f"{year}年度述职报告汇编.pdf"


def volume_path(root: Path | str, year: int | str) -> Path:
    """Where ``make pdf`` writes the volume of ``year`` for the archive at ``root``."""
    return Path(root) / PDF_DIR / volume_filename(year)


def publish_volumes(pdf_dir: Path | str, html_outdir: Path | str) -> list[Path]:
    """Copy the volumes found in ``pdf_dir`` to ``<html_outdir>/pdf/``; return the copies.

    A year page at ``archive/years/2023.html`` then links to
    ``../../pdf/2023年度述职报告汇编.pdf``. Copies are refreshed only when the
    volume is newer, so calling this at every HTML build is cheap.
    """
    src = Path(pdf_dir)
    if not src.is_dir():
        return []
    dest = Path(html_outdir) / HTML_SUBDIR
    copies: list[Path] = []
    for volume in sorted(src.glob(volume_filename("*"))):
        target = dest / volume.name
        if not target.is_file() or target.stat().st_mtime < volume.stat().st_mtime:
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(volume, target)
        copies.append(target)
    return copies
