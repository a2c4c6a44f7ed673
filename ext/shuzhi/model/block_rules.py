"""The block rules of MyST's parser that cannot start a block in a given text, and the parser without them.

markdown-it tries every block rule at the start of every block (and the rules that may
interrupt a paragraph on every line of one) until one accepts; for a report most of
them — tables, fences, quotes, HTML, footnotes, definitions… — look at the first
character and give up. Each rule known here opens only on a character or string
that the text must then contain (a table's ``|``, a fence's three backticks or tildes,
a quote's ``>``); a rule whose string is absent cannot accept anywhere in the text, so
the tokens are the same without it. :func:`narrowed` returns the parser with
those rules disabled (a shallow copy sharing everything but the block rule list, kept
per set of disabled rules), or the parser itself when every rule may be needed.

Rules are recognised by their function (a configured variant, a rule added by another
plugin — dollar maths, block attributes — is never disabled). The rules that open on
the first character of a line (``%`` comments, ``+++`` breaks, definition lists,
field lists) are only disabled when that character does not begin any line after
the containers that shift a line's start (quotes, list markers); when the text may
hold a container that starts a line elsewhere (a footnote, a field list, an unknown
rule), they are kept.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

#: a line that, after indentation, quote and list markers, begins with a character that opens a
#: block rule reading the line's first character (``%`` comment, ``+++`` break, ``:``/``~``
#: definition or field list). Written to start with a newline, so a search jumps from line to line.
_LINE_OPENER = re.compile(r"\n[ \t>*+\-0-9.)]*[%+:~]")

#: what a rule's opening needs: one of these strings somewhere in the text, or (LINE) a line opener
_Needs = tuple[bytes, ...]
LINE: _Needs = ()
#: a rule that may open in any text (the paragraph, lists, front matter…)
ALWAYS = None


def _known() -> dict[Any, _Needs | None]:
    """Rule function → what its opening needs."""
    from markdown_it import rules_block
    from mdit_py_plugins import colon_fence, field_list, footnote, front_matter
    from mdit_py_plugins.myst_blocks import index as myst_blocks

    return {
        rules_block.table: (b"|",),
        # indented code needs four columns of indentation: a tab or four spaces somewhere
        rules_block.code: (b"\t", b"    "),
        rules_block.blockquote: (b">",),
        rules_block.reference: (b"]:",),
        rules_block.html_block: (b"<",),
        rules_block.heading: (b"#",),
        colon_fence._rule: (b":::",),
        footnote.index.footnote_def: (b"[^",),
        myst_blocks.target: (b")=",),
        myst_blocks.line_comment: LINE,
        myst_blocks.block_break: LINE,
        field_list._fieldlist_rule: LINE,
        rules_block.hr: ALWAYS,
        rules_block.list_block: ALWAYS,
        rules_block.lheading: ALWAYS,
        rules_block.paragraph: ALWAYS,
        front_matter.index._front_matter_rule: ALWAYS,
    }


def _fence(fn: Any) -> _Needs | None:
    """A fence rule made by markdown-it's ``make_fence_rule`` (``` and ~~~ fences, MyST's ::: fences)
    opens on ``min_markers`` of one of its ``markers`` in a row (None: not such a rule)."""
    if getattr(fn, "__qualname__", "") != "make_fence_rule.<locals>._fence_rule" or fn.__closure__ is None:
        return None
    cells = dict(zip(fn.__code__.co_freevars, (c.cell_contents for c in fn.__closure__), strict=True))
    markers, count = cells.get("markers"), cells.get("min_markers")
    if not isinstance(count, int) or count < 1 or not isinstance(markers, tuple | list | str):
        return None
    if not markers or not all(isinstance(m, str) and len(m) == 1 for m in markers):
        return None
    return tuple(m.encode() * count for m in markers)


def _deflist(fn: Any) -> bool:
    """The definition-list rule (a closure inside its plugin, so recognised by name)."""
    return getattr(fn, "__module__", "") == "mdit_py_plugins.deflist.index" and getattr(fn, "__qualname__", "") == (
        "deflist_plugin.<locals>.deflist"
    )


class _Plan:
    """For one parser: what each of its enabled block rules needs, and the narrowed copies made so far."""

    def __init__(self, md: MarkdownIt) -> None:
        self.md = md
        known = _known()
        #: (rule name, strings one of which it needs); LINE: needs a line opener
        self.needs: list[tuple[str, _Needs]] = []
        unknown = False
        for rule in md.block.ruler.__rules__:
            if not rule.enabled:
                continue
            needs = LINE if _deflist(rule.fn) else _fence(rule.fn)
            if needs is None:
                if rule.fn not in known:
                    unknown = True
                    continue
                needs = known[rule.fn]
            if needs is not None:
                self.needs.append((rule.name, needs))
        if unknown:
            # an unknown rule may be a container that moves where a line starts: keep the line rules
            self.needs = [(name, needs) for name, needs in self.needs if needs]
        self.lines = any(not needs for _name, needs in self.needs)
        self.variants: dict[tuple[str, ...], MarkdownIt] = {}

    def narrowed(self, text: str) -> MarkdownIt:
        # the needles are ASCII: searched in the text's ASCII characters alone (a few hundred bytes,
        # where a search is many times faster than in the text); dropping the others may join two
        # characters into a needle, which only keeps a rule, never loses one
        data = text.encode("ascii", "ignore")
        # a footnote's text starts after its label, and markdown-it reads a lone \r as a line break:
        # then any line rule may be needed
        opener = self.lines and (b"[^" in data or b"\r" in data or _LINE_OPENER.search("\n" + text) is not None)
        off: list[str] = []
        for name, needs in self.needs:
            if not needs:
                if not opener:
                    off.append(name)
                continue
            if not any(needle in data for needle in needs):
                off.append(name)
        if not off:
            return self.md
        key = tuple(off)
        variant = self.variants.get(key)
        if variant is None:
            if len(self.variants) >= 64:
                self.variants.clear()
            variant = self.variants[key] = _without(self.md, key)
        return variant


def _without(md: MarkdownIt, off: tuple[str, ...]) -> MarkdownIt:
    """A copy of ``md`` sharing its options, inline and core parsers, with these block rules disabled."""
    variant = copy.copy(md)
    variant.block = copy.copy(md.block)
    variant.block.ruler = copy.deepcopy(md.block.ruler)
    variant.block.ruler.disable(list(off))
    return variant


_PLANS: dict[int, _Plan] = {}


def narrowed(md: MarkdownIt, text: str) -> MarkdownIt:
    """``md``, or a copy without the block rules that cannot open anywhere in ``text`` (same tokens)."""
    plan = _PLANS.get(id(md))
    if plan is None or plan.md is not md:
        if len(_PLANS) >= 16:
            _PLANS.clear()
        plan = _PLANS[id(md)] = _Plan(md)
    return plan.narrowed(text)
