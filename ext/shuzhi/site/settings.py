"""The extension's configuration values: prefixed, typed, validated once.

Modules read them through :func:`settings`, never through ``app.config`` directly,
so a bad value is reported once, in Chinese, at ``config-inited``. The archive's
``shuzhi.yaml`` is loaded and checked there too (:func:`shuzhi.config.load_config`,
with the build's MyST settings), so a wrong type or a bad pattern stops the build
at its start with one located message, not at the first report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sphinx.application import Sphinx
from sphinx.config import Config as SphinxConfig
from sphinx.errors import ConfigError

from .state import build_state


@dataclass(frozen=True)
class Settings:
    #: folder (relative to the source dir) holding reports/<year>/<slug>.md; "" = none
    reports_dir: str = "reports"
    #: folder the generated navigation pages are written to (gitignored)
    archive_dir: str = "archive"
    #: report findings of severity "warning"/"error" are logged as Sphinx warnings
    findings_as_warnings: bool = True
    #: publish raw HTML, script links and outside files in reports as written (trusted archives only)
    trusted_html: bool = False
    #: file (relative to the source dir) every warning is written to; report warnings then stay
    #: off the terminal. "" = warnings on the terminal, as Sphinx prints them
    warning_log: str = ""


_DEFAULTS = Settings()


def _clean_dir(name: str, value: object, allow_empty: bool) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"shuzhi_{name} 应为文件夹名（字符串），现为 {value!r}。")
    if not value.strip():
        if allow_empty:
            return ""
        raise ConfigError(f"shuzhi_{name} 不能为空。")
    path = PurePosixPath(value.strip())
    if path.is_absolute() or ".." in path.parts:
        raise ConfigError(f"shuzhi_{name} 应为源目录下的相对路径，现为 {value!r}。")
    return str(path).rstrip("/")


def _archive(app: Sphinx, config: SphinxConfig) -> None:
    """The archive's shuzhi.yaml, read and checked once, with the MyST settings this build uses."""
    from ..config import load_config
    from ..model.tokens import myst_fields

    myst = {name: config[f"myst_{name}"] for name in myst_fields() if f"myst_{name}" in config}
    try:
        build_state(app).archive_config = load_config(Path(app.srcdir), myst=myst)
    except ValueError as exc:  # a bad shuzhi.yaml: Sphinx's "Configuration error", no traceback
        raise ConfigError(str(exc)) from None


def _validate(app: Sphinx, config: SphinxConfig) -> None:
    findings = config.shuzhi_findings_as_warnings
    if not isinstance(findings, bool):
        raise ConfigError(f"shuzhi_findings_as_warnings 应为 True 或 False，现为 {findings!r}。")
    trusted = config.shuzhi_trusted_html
    if not isinstance(trusted, bool):
        raise ConfigError(f"shuzhi_trusted_html 应为 True 或 False，现为 {trusted!r}。")
    log = config.shuzhi_warning_log
    if not isinstance(log, str):
        raise ConfigError(f"shuzhi_warning_log 应为日志文件的路径（字符串），现为 {log!r}。")
    build_state(app).settings = Settings(
        reports_dir=_clean_dir("reports_dir", config.shuzhi_reports_dir, allow_empty=True),
        archive_dir=_clean_dir("archive_dir", config.shuzhi_archive_dir, allow_empty=False),
        findings_as_warnings=findings,
        trusted_html=trusted,
        warning_log=log.strip(),
    )
    _archive(app, config)


def settings(app: Sphinx) -> Settings:
    """The validated settings of this application."""
    return build_state(app).settings or _DEFAULTS


def setup_settings(app: Sphinx) -> None:
    app.add_config_value("shuzhi_reports_dir", _DEFAULTS.reports_dir, "env", types=[str])
    app.add_config_value("shuzhi_archive_dir", _DEFAULTS.archive_dir, "env", types=[str])
    app.add_config_value("shuzhi_findings_as_warnings", _DEFAULTS.findings_as_warnings, "env", types=[bool])
    app.add_config_value("shuzhi_trusted_html", _DEFAULTS.trusted_html, "env", types=[bool])
    # where warnings are written changes no page: no re-read when it changes
    app.add_config_value("shuzhi_warning_log", _DEFAULTS.warning_log, "", types=[str])
    app.connect("config-inited", _validate, priority=400)
