"""A saved web page (.html/.htm): its main text only, then the text path.

lxml (already pinned) parses the page. Scripts, styles, forms, navigation,
headers, footers, sidebars and comment boxes go — by element (``nav``, ``aside``
…) and by the class/id names sites give them (``breadcrumb``, ``comment`` …).
The main text is the element whose paragraphs hold the most text that is not
link text (the measure readability tools use); the page's ``h1`` (or its
``<title>`` up to the site name) stays in front as the title. Chrome that
survives inside the main text (views lines, 小编 lead-ins, 相关推荐) is the text
cleaner's job. Everything dropped is listed, briefly.
"""

from __future__ import annotations

import re
from typing import Any

from .decode import ImportFailure, Source, decode_bytes

_DROP_TAGS = {
    "script", "style", "noscript", "template", "iframe", "form", "button", "input", "select",
    "textarea", "nav", "header", "footer", "aside", "svg", "canvas", "object", "embed", "head", "menu",
}
_CHROME = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|sidebar|side|footer|foot|topbar|header|comments?|reply|"
    r"share|related|recommend|relate|hot|ads?|advert|banner|login|toolbar|pager|pagination|copyright|tags?|"
    r"weixin|qrcode|download)(?:$|[\s_-])",
    re.IGNORECASE,
)
_BLOCK = {
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table",
    "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "center", "td", "th", "body",
}
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)
_SITE_SUFFIX = re.compile(r"\s*[_|｜\-–—]\s*[^_|｜\-–—]*$")
SNIPPET = 30
LISTED = 20


def _text_of(element: Any) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def _decode(data: bytes) -> str:
    m = _CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii").lower()
        name = "gb18030" if name in ("gb2312", "gbk", "gb_2312-80") else name
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
    text, _ = decode_bytes(data)
    return text


def _lines(element: Any) -> list[str]:
    """The element's text, one line per block element or ``<br>``."""
    out: list[str] = [""]

    def walk(node: Any) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        block = tag.lower() in _BLOCK
        if block or tag.lower() == "br":
            out.append("")
        if tag and node.text and tag.lower() != "br":
            out[-1] += node.text
        for child in node:
            walk(child)
        if block:
            out.append("")
        if node.tail:
            out[-1] += node.tail

    walk(element)
    return [line for line in (re.sub(r"[ \t\r\n\u00a0]+", " ", x).strip() for x in out) if line]


def _best(body: Any) -> Any:
    """The element holding the page's main text."""
    scores: dict[Any, float] = {}
    for p in body.iter("p", "div", "td", "pre", "section"):
        own = (p.text or "") + "".join((c.tail or "") for c in p)
        links = sum(len(_text_of(a)) for a in p.iter("a"))
        text = len(re.sub(r"\s", "", own)) + sum(len(_text_of(c)) for c in p if c.tag in ("span", "strong", "b", "em", "font"))
        score = text - 2 * links
        if score < 25:
            continue
        parent = p.getparent()
        if parent is not None:
            scores[parent] = scores.get(parent, 0) + score
            grand = parent.getparent()
            if grand is not None:
                scores[grand] = scores.get(grand, 0) + score / 2
    if not scores:
        return body
    return max(scores, key=lambda e: scores[e])


def read_html(data: bytes) -> Source:
    """The main text of a saved web page."""
    import lxml.html  # type: ignore[import-untyped]

    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", _decode(data))
    try:
        root = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        raise ImportFailure("无法解析这个网页文件：内容不是有效的 HTML。") from None
    page_title = root.findtext(".//title") or ""
    dropped: list[str] = []
    gone: set[Any] = set()
    for element in list(root.iter()):
        if any(a in gone for a in element.iterancestors()):
            continue  # inside a part already dropped (and listed) whole
        if not isinstance(element.tag, str):  # comments and processing instructions
            if element.getparent() is not None:
                element.drop_tree()
            continue
        names = " ".join((element.get("class") or "", element.get("id") or ""))
        if element.tag.lower() in _DROP_TAGS or (element.tag.lower() not in ("body", "html") and _CHROME.search(names)):
            if element.getparent() is None:
                continue
            shown = _text_of(element)
            if shown and element.tag.lower() not in ("script", "style", "head", "noscript", "template"):
                dropped.append(shown if len(shown) <= SNIPPET else shown[:SNIPPET] + "…")
            gone.add(element)
            element.drop_tree()
    body = root.find("body")
    if body is None:
        body = root
    h1s = [_text_of(h) for h in body.iter("h1") if _text_of(h)]
    main = _best(body)
    lines = _lines(main)
    title = h1s[0] if h1s else _SITE_SUFFIX.sub("", page_title.strip()) if page_title.strip() else ""
    if title and title not in lines[:3]:
        lines.insert(0, title)
    if not lines:
        raise ImportFailure("网页中没有找到正文文字（可能全是脚本或图片），未导入。")
    node = main
    while node is not body and node.getparent() is not None:  # what stands beside the main text
        parent = node.getparent()
        for sibling in parent:
            shown = _text_of(sibling) if sibling is not node and isinstance(sibling.tag, str) else ""
            if shown and shown != title:
                dropped.append(shown if len(shown) <= SNIPPET else shown[:SNIPPET] + "…")
        node = parent
    listed = [f"网页正文以外的部分：{d}" for d in dropped[:LISTED]]
    if len(dropped) > LISTED:
        listed.append(f"网页正文以外的部分：……另有 {len(dropped) - LISTED} 处")
    return Source("\n".join(lines), "html", dropped=listed)
