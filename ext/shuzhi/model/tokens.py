"""The one Markdown reader: MyST's own markdown-it parser, configured as the archive's build.

A report is tokenised once, by the parser MyST itself builds
(:func:`myst_parser.parsers.mdit.create_md_parser`) from the archive's MyST settings
(the ``myst_*`` values of its ``conf.py``), so ``shuzhi lint``, the model and the
published page agree on what is a heading, a paragraph, a list item, a fence or raw
HTML. :func:`read_blocks` turns the token stream into :class:`Block` records — one per
heading, paragraph (or list item, definition, table cell row…) and opaque block
(code, fences, HTML, tables, front matter) — with their lines in the file; the model
builds sections and items from them and every rule walks them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .block_rules import narrowed
from .ordinals import lead_ordinal

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

#: MyST settings of an archive without a ``conf.py`` (a single file, the tests): the
#: extensions the project's own conf.py enables. An archive's conf.py always wins.
DEFAULT_MYST: Mapping[str, Any] = {"enable_extensions": ("colon_fence", "deflist", "fieldlist", "attrs_inline")}

#: block token types whose content is shown as written, not read as Markdown
FENCES = frozenset({"fence", "colon_fence"})
CODE = FENCES | {"code_block"}
#: containers whose headings MyST does not make sections of (a heading in a quote, a list item…)
_CONTAINERS = frozenset({"blockquote_open", "list_item_open", "dd_open", "fieldlist_body_open", "footnote_open"})
#: inline text that is a label, not prose
_LABELS = frozenset({"fieldlist_name_open"})


@dataclass
class Block:
    """One block of a report as MyST reads it, located by its lines (1-based, inclusive).

    ``text`` is a heading's or paragraph's source text (an ordered-list number kept:
    ``1. …``), an opaque block's content as the token holds it (a fence's body, the
    HTML, the YAML; a table's lines). ``kind`` is what the model needs: ``heading`` (a section heading: top level, not
    inside a quote or a list), ``paragraph`` (prose: a paragraph, a list item, a
    definition, a nested heading) or ``other`` (code, fences, HTML, tables, front
    matter, targets, comments). ``type`` is the markdown-it token type that opened
    it, ``info`` a fence's info string; :meth:`children` gives the inline tokens
    of its text (links, images, inline HTML), parsed on first use.
    """

    kind: str  # heading | paragraph | other
    line: int
    end_line: int
    text: str
    level: int = 0
    type: str = ""
    info: str = ""
    #: the block's inline tokens (several for a table: one per cell), children not parsed yet
    inline: tuple[Token, ...] = field(default=(), repr=False, compare=False)
    source: _Source | None = field(default=None, repr=False, compare=False)

    def children(self) -> list[Token]:
        """The inline tokens of the block's text: what markdown-it's core "inline" rule would give.

        Most rules need the block structure only, so the inline pass runs here, for
        the blocks a rule asks about, with the same parser and reference definitions.
        """
        out: list[Token] = []
        for token in self.inline:
            if self.source is not None and not token.meta.get("shuzhi_inline"):
                token.children = []
                self.source.md.inline.parse(token.content, self.source.md, self.source.env, token.children)
                token.meta["shuzhi_inline"] = True
            out.extend(token.children or ())
        return out

    @property
    def fenced(self) -> bool:
        """A ``` or ::: fence (code, or a directive whose body the model does not read)."""
        return self.type in FENCES

    @property
    def code(self) -> bool:
        return self.type in CODE

    @property
    def html(self) -> bool:
        return self.type == "html_block"


@dataclass(frozen=True)
class _Source:
    md: MarkdownIt
    env: dict[str, Any]


# -- the parser ----------------------------------------------------------------------


def myst_fields() -> tuple[str, ...]:
    """The MyST settings a Sphinx archive sets as ``myst_<name>`` (as myst_parser registers them)."""
    from myst_parser.config.main import MdParserConfig

    return tuple(
        name for name, _default, field in MdParserConfig().as_triple() if "sphinx" not in field.metadata.get("omit", [])
    )


def myst_from_conf(root: Path) -> dict[str, Any]:
    """The ``myst_*`` values of ``root/conf.py``, read the way Sphinx reads it (executed, with tags)."""
    conf = root / "conf.py"
    if not conf.is_file():
        return dict(DEFAULT_MYST)
    from sphinx.config import eval_config_file
    from sphinx.util.tags import Tags

    try:
        namespace = eval_config_file(conf, Tags())  # a Path: Sphinx 9 takes no str
    except BaseException as exc:  # noqa: BLE001 - the user's conf.py (SystemExit included), reported in Chinese
        raise ValueError(f"{conf}: 读取 MyST 设置失败（{exc}），请改正 conf.py。") from None
    return {name: namespace[f"myst_{name}"] for name in myst_fields() if f"myst_{name}" in namespace}


def markdown(myst: Mapping[str, Any] | None = None) -> MarkdownIt:
    """MyST's markdown-it parser for these settings (built once per distinct settings)."""
    settings = DEFAULT_MYST if myst is None else myst
    last = _LAST.get(id(settings))
    if last is not None and last[0] is settings:
        return last[1]  # the same settings object as the previous report (one archive's Config)
    md = _parser(repr(sorted((k, _frozen(v)) for k, v in settings.items())), _Settings(settings))
    _LAST.clear()
    _LAST[id(settings)] = (settings, md)
    return md


_LAST: dict[int, tuple[Mapping[str, Any], MarkdownIt]] = {}


class _Settings:
    """Carries the settings past lru_cache, which keys on their repr only."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self.values = values

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Settings)


def _frozen(value: Any) -> Any:
    if isinstance(value, set | frozenset):
        return sorted(map(repr, value))
    if isinstance(value, list | tuple):
        return [_frozen(v) for v in value]
    if isinstance(value, dict):
        return sorted((repr(k), _frozen(v)) for k, v in value.items())
    return value


@lru_cache(maxsize=8)
def _parser(key: str, settings: _Settings) -> MarkdownIt:
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    try:
        config = MdParserConfig(**dict(settings.values))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"MyST 设置有误（{exc}），请改正 conf.py 中的 myst_ 设置。") from None
    md = create_md_parser(config, RendererHTML)
    # the inline pass runs per block on demand (Block.children); word counts are not needed
    md.core.ruler.disable([name for name in ("inline", "text_join", "wordcount") if name in md.core.ruler.get_all_rules()])
    return md


def tokenise(text: str, myst: Mapping[str, Any] | None = None) -> tuple[list[Token], _Source]:
    """MyST's block tokens of a report (text already normalised to ``\\n``), and what their inline pass needs."""
    md = narrowed(markdown(myst), text)  # without the block rules that cannot open in this text
    env: dict[str, Any] = {}
    return md.parse(text, env), _Source(md, env)


# -- tokens → blocks -----------------------------------------------------------------


def read_blocks(tokens: Sequence[Token], lines: Sequence[str], source: _Source | None = None) -> list[Block]:
    """The report's blocks in source order, from its tokens and their line maps."""
    blocks: list[Block] = []
    stack: list[Token] = []  # open containers
    table: Block | None = None
    count = len(lines)
    for token in tokens:
        if token.nesting == -1:
            if stack:
                stack.pop()
            if token.type == "table_close":
                table = None
            continue
        if token.type == "table_open":
            table = _leaf(token, lines, count)
            table.source = source
            blocks.append(table)
        elif token.type == "inline":
            if table is not None:
                table.inline += (token,)
            elif not (stack and stack[-1].type in _LABELS):
                block = _text_block(token, stack, lines, count)
                block.source = source
                blocks.append(block)
        elif token.nesting == 0 and token.block and token.map is not None:
            blocks.append(_leaf(token, lines, count))
        if token.nesting == 1:
            stack.append(token)
    return blocks


def _span(token: Token, count: int) -> tuple[int, int]:
    start, end = token.map if token.map is not None else (0, 1)
    line = min(start + 1, max(count, 1))
    return line, min(max(end, line), max(count, 1))


def _leaf(token: Token, lines: Sequence[str], count: int) -> Block:
    """An opaque block; its text is what the token holds (a fence's body, the HTML, the YAML), else its lines."""
    line, end = _span(token, count)
    text = token.content.rstrip("\n") if token.content else "\n".join(lines[line - 1 : end])
    return Block("other", line, end, text, type=token.type, info=token.info.strip())


def _text_block(inline: Token, stack: Sequence[Token], lines: Sequence[str], count: int) -> Block:
    opener = stack[-1] if stack else None
    line, end = _span(inline if inline.map is not None else (opener or inline), count)
    content = inline.content
    text = "\n".join(part.strip() for part in content.split("\n")) if "\n" in content else content.strip()
    children = (inline,)
    if opener is not None and opener.type == "heading_open":
        if not any(t.type in _CONTAINERS for t in stack[:-1]):
            return Block("heading", line, end, text, int(opener.tag[1:]), opener.type, inline=children)
        return Block("paragraph", line, end, text, type="heading_open", inline=children)
    item = stack[-2] if len(stack) >= 2 and opener is not None and opener.type == "paragraph_open" else None
    if item is not None and item.type == "list_item_open" and item.map and item.map[0] == line - 1 and item.info:
        # "1. 加强学习": Markdown's ordered-list number is the report's level-3 ordinal
        marker = item.info + item.markup
        if lead_ordinal(marker) is not None or len(item.info) > 3:
            text = f"{marker} {text}"
    return Block("paragraph", line, end, text, type=opener.type if opener else "inline", inline=children)
