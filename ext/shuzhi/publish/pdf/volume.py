"""Which reports go into which volume, in what order, and the volume root documents.

A volume is one year. Its reports are ordered as on the HTML year page
(:func:`shuzhi.site.domain.sort_key`: kind, organisation, title). Reports
without a year cannot be filed in a yearly volume: they are listed in
:attr:`Collection.undated` so the command can say so, and are left out.

The root document of a volume is a toctree only (``toctree_only`` in
``latex_documents``); it lives in the gitignored work folder
``_build/.pdf/volumes/`` and is rewritten only when its text changes, so a
second ``make pdf`` re-reads nothing that did not change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ...model import parse_report
from ...site.domain import sort_key

#: the work folder, relative to the archive root (inside the gitignored _build/)
WORK_DIR = PurePosixPath("_build") / ".pdf"
VOLUMES_DIR = WORK_DIR / "volumes"


@dataclass(frozen=True)
class Entry:
    """One report as a volume lists it."""

    docname: str  # e.g. reports/2023/fagaiwei
    path: str  # relative to the root, e.g. reports/2023/fagaiwei.md
    title: str
    year: int | None
    org: str
    kind: str


@dataclass
class Volume:
    year: int
    entries: list[Entry] = field(default_factory=list)

    @property
    def docname(self) -> str:
        return str(VOLUMES_DIR / str(self.year))

    @property
    def texname(self) -> str:
        return f"volume-{self.year}.tex"

    @property
    def title(self) -> str:
        return f"{self.year}年度述职报告汇编"

    def kind_counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for e in self.entries:
            counts[e.kind or "其他"] = counts.get(e.kind or "其他", 0) + 1
        return list(counts.items())  # entries are sorted by kind already

    def root_text(self) -> str:
        lines = "\n".join(f"/{e.docname}" for e in self.entries)
        return (
            f"# {self.title}\n\n"
            "<!-- 由 python -m shuzhi.publish.pdf 生成，请勿编辑。 -->\n\n"
            f"```{{toctree}}\n:maxdepth: 1\n\n{lines}\n```\n"
        )


@dataclass
class Collection:
    volumes: dict[int, Volume] = field(default_factory=dict)
    undated: list[Entry] = field(default_factory=list)


def collect(root: Path, reports_dir: str = "reports") -> Collection:
    """Read the front matter and title of every report under ``root/reports_dir``."""
    coll = Collection()
    base = root / reports_dir
    if not base.is_dir():
        return coll
    for path in sorted(base.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue  # Sphinx and the lint report it, located; it is not in print
        rel = PurePosixPath(path.relative_to(root).as_posix())
        report = parse_report(text, str(rel))
        entry = Entry(str(rel.with_suffix("")), str(rel), report.display_title, report.year,
                      report.org, report.kind)
        if entry.year is None:
            coll.undated.append(entry)
        else:
            coll.volumes.setdefault(entry.year, Volume(entry.year)).entries.append(entry)
    for volume in coll.volumes.values():
        volume.entries.sort(key=lambda e: sort_key(e.kind, e.org, e.title, e.docname))
    coll.volumes = dict(sorted(coll.volumes.items()))
    return coll


def write_roots(root: Path, volumes: Iterable[Volume]) -> None:
    """Write each volume's root document, touching only those whose text changed."""
    for volume in volumes:
        path = root / f"{volume.docname}.md"
        text = volume.root_text()
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
