"""Reading templates: TOML text or a file into a checked Template, and the forms folder."""

import hashlib
import re
import tomllib
from pathlib import Path

from pydantic import ValidationError

from casereader import paths
from casereader.domain.template.model import Template
from casereader.domain.template.problems import LOADER_KEYS, describe_error, where
from casereader.errors import TemplateError


def parse_template(text: str, source: str = "<text>") -> Template:
    """A template from TOML text; source names the file in error messages."""
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"{source}: TOML syntax error: {exc}") from None
    for key in LOADER_KEYS:
        if key in data:
            raise TemplateError(f"{source}: {key}: set by casereader when loading; remove it")
    try:
        return Template.model_validate(
            {
                **data,
                "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                "source_text": text,
            }
        )
    except ValidationError as exc:
        errors = exc.errors()
        # dict.fromkeys: a union field reports once per member; say it once
        lines = list(
            dict.fromkeys(describe_error(e) + where(data, tuple(e["loc"])) for e in errors)
        )
        more = f" (and {len(lines) - 5} more)" if len(lines) > 5 else ""
        lines = lines[:5]
        raise TemplateError(f"{source}: " + "; ".join(lines) + more) from None


def load_template(path: Path) -> Template:
    """A template from a TOML file; sha256 is of the exact file bytes."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"{path}: cannot read the template file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateError(
            f"{path}: not UTF-8 text (byte {exc.start}); save the file as UTF-8"
        ) from None
    return parse_template(text, source=str(path))


def available_templates(folder: Path | None = None) -> list[Template]:
    """Every template in the forms folder, by id then version; a malformed file is an error."""
    folder = Path(folder) if folder is not None else paths.forms_dir()
    if not folder.is_dir():
        raise TemplateError(f"{folder}: the templates folder does not exist")
    templates = [load_template(p) for p in sorted(folder.glob("*.toml"))]
    seen: dict[tuple[str, str], Template] = {}
    for t in templates:
        if (t.id, t.version) in seen:
            raise TemplateError(
                f"{folder}: two files hold template {t.id} version {t.version}; "
                "give one a new version or remove it"
            )
        seen[(t.id, t.version)] = t
    return sorted(templates, key=lambda t: (t.id, _version_key(t.version)))


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-]", version))


def find_template(
    template_id: str, folder: Path | None = None, version: str | None = None
) -> Template:
    """The template with this id (the newest version unless one is asked for)."""
    templates = available_templates(folder)
    matches = [t for t in templates if t.id == template_id]
    if version is not None:
        matches = [t for t in matches if t.version == version]
    if not matches:
        known = ", ".join(f"{t.id} {t.version}" for t in templates) or "none"
        wanted = template_id + (f" version {version}" if version else "")
        raise TemplateError(f"no template {wanted} in the forms folder (available: {known})")
    return matches[-1]
