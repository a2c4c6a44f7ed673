"""Old Word (.doc), WPS (.wps), RTF and OpenDocument (.odt): converted to .docx by LibreOffice.

LibreOffice runs headless with a private, throw-away profile (so it neither
touches the user's own nor waits for a running instance), on a copy of the file
with a plain name (a name starting with ``-`` would be read as an option), under
a time limit; the .docx it writes is then read like any other (:mod:`.word`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .decode import ImportFailure, Source

TIMEOUT = 120
#: what such files start with: OLE2 (.doc, .wps), RTF, a zip (.odt, or a .docx misnamed), HTML/XML (Word's "web page" .doc)
SIGNATURES = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf", b"PK\x03\x04", b"<")
INSTALL = "sudo .ci/install-system-packages office（即 sudo apt-get install libreoffice-writer-nogui）"


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(path: Path, folder: Path, suffix: str) -> Path:
    """``path`` (a ``suffix`` file) converted to .docx inside ``folder`` (a temporary folder of the caller's)."""
    tool = soffice()
    if tool is None:
        raise ImportFailure(f"导入 {suffix} 文件需要 LibreOffice，本机没有：请运行 {INSTALL}，或在 Word/WPS 中另存为 .docx 后再导入。")
    source = folder / ("source" + suffix)
    shutil.copyfile(path, source)
    out = folder / "out"
    command = [
        tool,
        f"-env:UserInstallation={(folder / 'profile').as_uri()}",
        "--headless", "--norestore", "--nologo", "--nolockcheck",
        "--convert-to", "docx:MS Word 2007 XML",
        "--outdir", str(out), str(source),
    ]
    env = {**os.environ, "HOME": str(folder)}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        _, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # soffice starts helpers of its own: end the whole group
        process.communicate()
        raise ImportFailure(f"LibreOffice 转换超过 {TIMEOUT} 秒仍未完成，文件可能已损坏；请在 Word/WPS 中另存为 .docx 后再导入。") from None
    converted = out / "source.docx"
    if process.returncode != 0 or not converted.is_file() or converted.stat().st_size == 0:
        raise ImportFailure("LibreOffice 无法转换这个文件：文件可能已损坏、有打开密码，或并非文字处理文档。")
    return converted


def read_office(path: Path, data: bytes) -> Source:
    """A .doc/.wps/.rtf/.odt file, through LibreOffice's .docx."""
    from .word import read_word

    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(SIGNATURES):
        # LibreOffice would open anything as plain text; a damaged file must not become a report
        raise ImportFailure(f"文件内容不是 Word/WPS/RTF/OpenDocument 文档（扩展名为 {path.suffix}），可能已损坏或扩展名有误。")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        suffix = ".doc"  # an old Word file under the new name
    with tempfile.TemporaryDirectory(prefix="shuzhi-office-") as tmp:
        source = read_word(convert_to_docx(path, Path(tmp), suffix))
    source.encoding = suffix.lstrip(".") + "→docx"
    source.notes.append(f"原文件为 {suffix} 格式，经 LibreOffice 转为 .docx 后导入，请对照原件核对编号、表格和脚注。")
    return source
