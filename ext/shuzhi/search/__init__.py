"""Search that finds what readers type: CJK bigrams, a compact index, a measuring tool.

=============  ==========================================================
grams          normalisation and the 2-character terms of a text (the
               browser's ``shuzhi-search.js`` mirrors it character for
               character)
postings       compact posting lists (gaps and runs in a 64-letter alphabet)
index          the terms of a doctree, block by block; the ``searchindex.js``
               format with postings, facets and titles
measure        ``measure_search(html_dir)``: index bytes and query times in
               headless Chromium, for the benchmark
=============  ==========================================================

Nothing here imports Sphinx; ``shuzhi.site.search_builder`` wires it in.
"""

from __future__ import annotations

from .grams import grams, normalise, runs

__all__ = ["grams", "normalise", "runs"]
