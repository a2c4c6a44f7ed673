r"""LaTeX settings of the volumes: fonts, GB/T 9704 page layout, headings, cover.

Everything Sphinx needs is returned by :func:`confoverrides`, so the project's
``conf.py`` needs nothing for the PDF build. The layout follows GB/T 9704-2012
as far as a bound volume allows:

* A4; type area 28 characters × 22 lines of 三号 (16 bp) 仿宋, i.e. 448 bp ×
  (16 bp + 21 × 28.95 bp), top margin 37 mm, binding margin 27 mm;
* title (chapter) 二号 bold Song (小标宋-like), level-1 headings 黑体, level-2
  楷体, level-3 bold 仿宋, all at body size and indented two characters;
* page numbers ``— 1 —`` in 四号 Song at the foot, outer side, one character
  in from the edge of the type area; a running head with the report's title;
* no Sphinx section numbers (``secnumdepth`` −1): reports carry their own
  ordinals (一、（一）1.).

Chinese fonts are the Fandol family shipped with ctex (texlive-lang-chinese);
Latin letters and digits use FreeSerif (a Times clone, as official documents
use Times New Roman); Noto CJK is the fallback for characters outside Fandol's
GB 2312-plus repertoire, so rare characters in names never go missing.
"""

from __future__ import annotations

from typing import Any

FONTS = r"""
\PassOptionsToPackage{fallback}{xeCJK}
\usepackage[UTF8,fontset=none,scheme=plain,linespread=1]{ctex}
\setmainfont{FreeSerif}[Extension=.otf,UprightFont=*,ItalicFont=*Italic,
  BoldFont=*Bold,BoldItalicFont=*BoldItalic]
\setsansfont{FreeSans}[Extension=.otf,UprightFont=*,ItalicFont=*Oblique,
  BoldFont=*Bold,BoldItalicFont=*BoldOblique]
\setmonofont{FreeMono}[Scale=0.9,Extension=.otf,UprightFont=*,ItalicFont=*Oblique,
  BoldFont=*Bold,BoldItalicFont=*BoldOblique]
% body 仿宋; bold body text is 仿宋加粗 (Fandol has no bold 仿宋), emphasis 楷体
\setCJKmainfont{FandolFang-Regular.otf}[BoldFont=FandolFang-Regular.otf,
  BoldFeatures={FakeBold=2.5},ItalicFont=FandolKai-Regular.otf]
\setCJKsansfont{FandolHei-Regular.otf}[BoldFont=FandolHei-Bold.otf]
\setCJKmonofont{FandolFang-Regular.otf}
\setCJKfamilyfont{zhsong}{FandolSong-Regular.otf}[BoldFont=FandolSong-Bold.otf]
\setCJKfamilyfont{zhhei}{FandolHei-Regular.otf}[BoldFont=FandolHei-Bold.otf]
\setCJKfamilyfont{zhkai}{FandolKai-Regular.otf}
\setCJKfamilyfont{zhfs}{FandolFang-Regular.otf}
\setCJKfallbackfamilyfont{\CJKrmdefault}{Noto Serif CJK SC}
\setCJKfallbackfamilyfont{\CJKsfdefault}{Noto Sans CJK SC}
\setCJKfallbackfamilyfont{\CJKttdefault}{Noto Sans Mono CJK SC}
\setCJKfallbackfamilyfont{zhsong}{Noto Serif CJK SC}
\setCJKfallbackfamilyfont{zhhei}{Noto Sans CJK SC}
\setCJKfallbackfamilyfont{zhkai}{Noto Serif CJK SC}
\setCJKfallbackfamilyfont{zhfs}{Noto Serif CJK SC}
\providecommand\songti{\CJKfamily{zhsong}}
\providecommand\heiti{\CJKfamily{zhhei}}
\providecommand\kaishu{\CJKfamily{zhkai}}
\providecommand\fangsong{\CJKfamily{zhfs}}
"""

# 22 lines: \topskip (16bp) + 21 baselines of 28.95bp = 624bp
GEOMETRY = (
    r"\usepackage[a4paper,twoside,top=37mm,inner=27mm,textwidth=448bp,textheight=624bp,"
    r"headheight=16bp,headsep=9mm,footskip=14mm,marginparwidth=15mm]{geometry}"
)

PREAMBLE = r"""
\makeatletter
% -- sizes: 三号 body on a 28.95bp grid; the other sizes follow Chinese 字号
\renewcommand\normalsize{\@setfontsize\normalsize{16bp}{28.95bp}}
\renewcommand\small{\@setfontsize\small{14bp}{24bp}}
\renewcommand\footnotesize{\@setfontsize\footnotesize{12bp}{20bp}}
\renewcommand\scriptsize{\@setfontsize\scriptsize{10.5bp}{15bp}}
\renewcommand\tiny{\@setfontsize\tiny{9bp}{12bp}}
\renewcommand\large{\@setfontsize\large{18bp}{30bp}}
\renewcommand\Large{\@setfontsize\Large{22bp}{33bp}}
\renewcommand\LARGE{\@setfontsize\LARGE{26bp}{36bp}}
\renewcommand\huge{\@setfontsize\huge{29bp}{40bp}}
\renewcommand\Huge{\@setfontsize\Huge{36bp}{48bp}}
\normalsize
\setlength\topskip{16bp}
\AtBeginDocument{\normalsize\setlength\parskip{0pt}\setlength\parindent{2\ccwd}}
% -- no section numbers: the reports carry their own ordinals
\setcounter{secnumdepth}{-1}
\setcounter{tocdepth}{0}
% -- headings (GB/T 9704: title 小标宋, 一、黑体, （一）楷体, 1. 仿宋加粗)
\titleformat{\chapter}[block]
  {\centering\songti\bfseries\fontsize{22bp}{33bp}\selectfont}{}{0pt}{}
\titlespacing{\chapter}{0pt}{0pt}{14bp}
\titleformat{\section}[block]{\heiti\mdseries\normalsize}{}{0pt}{\hspace*{2\ccwd}}
\titlespacing{\section}{0pt}{0pt}{0pt}
\titleformat{\subsection}[block]{\kaishu\mdseries\normalsize}{}{0pt}{\hspace*{2\ccwd}}
\titlespacing{\subsection}{0pt}{0pt}{0pt}
\titleformat{\subsubsection}[block]{\fangsong\bfseries\normalsize}{}{0pt}{\hspace*{2\ccwd}}
\titlespacing{\subsubsection}{0pt}{0pt}{0pt}
\titleformat{\paragraph}[runin]{\fangsong\bfseries\normalsize}{}{0pt}{\hspace*{2\ccwd}}
\titlespacing{\paragraph}{0pt}{0pt}{0pt}
% -- running head: the report's title; folio "— 1 —" at the foot, outer side
\renewcommand\chaptermark[1]{\markboth{#1}{#1}}
\renewcommand\sectionmark[1]{}
\renewcommand\subsectionmark[1]{}
\newcommand\shuzhifolio{\songti\fontsize{14bp}{14bp}\selectfont —\kern.25em\thepage\kern.25em—}
\fancypagestyle{normal}{\fancyhf{}%
  \fancyhead[C]{\songti\fontsize{10.5bp}{12bp}\selectfont\leftmark}%
  \fancyfoot[RO]{\shuzhifolio\hspace*{1\ccwd}}\fancyfoot[LE]{\hspace*{1\ccwd}\shuzhifolio}%
  \renewcommand{\headrulewidth}{0.4pt}\renewcommand{\footrulewidth}{0pt}}
\fancypagestyle{plain}{\fancyhf{}%
  \fancyfoot[RO]{\shuzhifolio\hspace*{1\ccwd}}\fancyfoot[LE]{\hspace*{1\ccwd}\shuzhifolio}%
  \renewcommand{\headrulewidth}{0pt}\renewcommand{\footrulewidth}{0pt}}
% -- contents: report titles with dotted leaders
\AtBeginDocument{\renewcommand\contentsname{目录}}
\renewcommand*\l@chapter[2]{\addpenalty{-\@highpenalty}\vskip 4bp
  {\fangsong\@dottedtocline{0}{0pt}{0pt}{#1}{#2}}}
% -- byline under a report's title; item markers as small grey labels
\newcommand\shuzhibyline[1]{{\centering\kaishu\normalsize #1\par}\vspace{14bp}}
\DeclareRobustCommand\shuzhimarker[1]{\mbox{\normalfont\sffamily\fontsize{8bp}{8bp}%
  \selectfont\color{black!45}\raisebox{.5ex}{#1}}\hspace{.2em}}
\pdfstringdefDisableCommands{\def\shuzhimarker#1{}}
\makeatother
"""

COVER = r"""
\begin{titlepage}
\centering
\vspace*{45mm}
{\songti\bfseries\fontsize{42bp}{60bp}\selectfont %(year)s\par}
\vspace{8mm}
{\songti\bfseries\fontsize{36bp}{54bp}\selectfont %(title)s\par}
\vspace{14mm}
{\color{red!75!black}\rule{130mm}{1.2pt}}\par
\vspace{14mm}
{\kaishu\fontsize{18bp}{32bp}\selectfont 共收录报告 %(count)d 篇\par
%(kinds)s\par}
\vfill
{\fangsong\fontsize{16bp}{24bp}\selectfont %(editor)s\par}
\vspace*{10mm}
\end{titlepage}
"""


def cover(year: int, count: int, kinds: list[tuple[str, int]], editor: str) -> str:
    """The cover of one volume (LaTeX), from trusted, already escaped strings."""
    kind_line = "\\quad ".join(f"{kind} {n} 篇" for kind, n in kinds)
    return COVER % {
        "year": f"{year}年度",
        "title": "述职报告汇编",
        "count": count,
        "kinds": kind_line,
        "editor": editor,
    }


def latex_elements() -> dict[str, str]:
    return {
        "papersize": "a4paper",
        "pointsize": "12pt",
        "extraclassoptions": "openany,twoside",
        "babel": "",
        "polyglossia": "",
        "fontenc": r"\usepackage{fontspec}",
        "fontpkg": FONTS,
        "fncychap": "",
        "geometry": GEOMETRY,
        "sphinxsetup": (
            "TitleColor={rgb}{0,0,0}, InnerLinkColor={rgb}{0,0,0}, "
            "OuterLinkColor={rgb}{0,0,0}, verbatimwithframe=false"
        ),
        "preamble": PREAMBLE,
        "maketitle": r"\sphinxmaketitle",  # replaced per volume by the translator
        "makeindex": "",
        "printindex": "",
        "fvset": r"\fvset{fontsize=\small,formatcom=\xeCJKVerbAddon}",
    }


def confoverrides(documents: list[tuple[str, str, str, str, str, bool]]) -> dict[str, Any]:
    """Sphinx settings of the PDF build, whatever the project's conf.py says."""
    return {
        "language": "zh_CN",
        "latex_engine": "xelatex",
        "latex_documents": documents,
        "latex_toplevel_sectioning": "chapter",
        "latex_elements": latex_elements(),
        "latex_use_xindy": False,
        "latex_domain_indices": False,
        "latex_show_urls": "no",
        "latex_show_pagerefs": False,
        "latex_appendices": [],
        "latex_logo": None,
    }
