"""Is the PDF toolchain installed? Checked before anything is built.

Sphinx's LaTeX output fails late and cryptically on a machine without the
needed TeX packages or fonts (a missing FreeSerif or pzdr font stops XeLaTeX
minutes into a build). :func:`missing` checks every program, TeX file and
system font the volumes use, in two fast calls (``kpsewhich``, ``fc-list``),
and :func:`problem` turns the result into one Chinese message naming the
command that installs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess

INSTALL_COMMAND = ".ci/install-system-packages pdf"

PROGRAMS = ("xelatex", "xdvipdfmx", "latexmk", "kpsewhich", "fc-list")

#: TeX files the volumes load, with the Debian package that ships each
TEX_FILES = {
    "ctex.sty": "texlive-lang-chinese",
    "xeCJK.sty": "texlive-lang-cjk",
    "FandolSong-Regular.otf": "texlive-lang-chinese",
    "FandolSong-Bold.otf": "texlive-lang-chinese",
    "FandolHei-Regular.otf": "texlive-lang-chinese",
    "FandolKai-Regular.otf": "texlive-lang-chinese",
    "FandolFang-Regular.otf": "texlive-lang-chinese",
    "fontspec.sty": "texlive-latex-recommended",
    "fancyhdr.sty": "texlive-latex-base",
    "titlesec.sty": "texlive-latex-extra",
    "tabulary.sty": "texlive-latex-extra",
    "varwidth.sty": "texlive-latex-extra",
    "needspace.sty": "texlive-latex-extra",
    "capt-of.sty": "texlive-latex-extra",
    "upquote.sty": "texlive-latex-extra",
    "framed.sty": "texlive-latex-extra",
    "fncychap.sty": "texlive-latex-extra",
    "pzdr.tfm": "texlive-fonts-recommended",
}

#: system fonts (fontconfig family names) with their Debian package
SYSTEM_FONTS = {
    "FreeSerif": "fonts-freefont-otf",
    "FreeSans": "fonts-freefont-otf",
    "FreeMono": "fonts-freefont-otf",
    # fallback for characters outside Fandol's repertoire (rare characters in names)
    "Noto Serif CJK SC": "fonts-noto-cjk",
    "Noto Sans CJK SC": "fonts-noto-cjk",
    "Noto Sans Mono CJK SC": "fonts-noto-cjk",
}


def missing(env: dict[str, str] | None = None) -> list[str]:
    """What is missing, each as ``name（Debian 软件包）``; empty when all is there."""
    path = (env or os.environ).get("PATH", os.defpath)
    lacking = [f"{p}（程序）" for p in PROGRAMS if shutil.which(p, path=path) is None]
    if lacking:
        return lacking  # without the programs the files cannot be looked up
    found = _run([shutil.which("kpsewhich", path=path) or "kpsewhich", *TEX_FILES], env)
    names = {os.path.basename(line.strip()) for line in found.splitlines()}
    lacking += [f"{f}（{pkg}）" for f, pkg in TEX_FILES.items() if f not in names]
    families = _run([shutil.which("fc-list", path=path) or "fc-list", ":", "family"], env)
    have = {name.strip() for line in families.splitlines() for name in line.split(",")}
    lacking += [f"字体 {f}（{pkg}）" for f, pkg in SYSTEM_FONTS.items() if f not in have]
    return lacking


def problem(env: dict[str, str] | None = None) -> str | None:
    """A Chinese message naming what is missing and the install command, or None."""
    lacking = missing(env)
    if not lacking:
        return None
    return (
        "无法生成 PDF 汇编：缺少 XeLaTeX 排版环境的以下组成部分：" + "、".join(lacking) + "。\n"
        f"请以 root 运行一次：{INSTALL_COMMAND}（安装 XeLaTeX、中文宏包与字体、latexmk），"
        "然后重新运行 make pdf。"
    )


def _run(argv: list[str], env: dict[str, str] | None) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout
