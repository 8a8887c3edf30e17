"""Every refusal a service builds carries a stable code from its own app's enumeration.

The services' source is read (AST), so a new ``raise ServiceError(...)`` without
``code=<App>ErrorCode.<NAME>`` fails here. ``NotFound`` (``NotFoundForbidden`` too) and ``PermissionDenied``
keep the fixed codes of :class:`liaison.core.error_codes.CoreErrorCode`.
"""

from __future__ import annotations

import ast
import inspect
from enum import StrEnum
from pathlib import Path

import pytest
from django.apps import apps

from liaison.core import errors
from liaison.core.error_codes import CoreErrorCode
from liaison.core.errors import error_code_enums, error_codes

SRC = Path(errors.__file__).resolve().parents[1]
REFUSALS = {
    name
    for name, value in vars(errors).items()
    if inspect.isclass(value) and issubclass(value, errors.ServiceError)
}
FIXED_CODE = {"NotFound", "NotFoundForbidden", "PermissionDenied"}


def _service_files() -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("liaison."):
            continue
        root = SRC / config.name.split(".", 1)[1]
        files = [root / "services.py", *sorted((root / "services").glob("*.py"))]
        found[config.label] = [f for f in files if f.exists()]
    return found


SERVICE_FILES = _service_files()


def _called_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _problems(path: Path, enum: type[StrEnum] | None) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    where = path.relative_to(SRC) if path.is_relative_to(SRC) else path
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _called_name(node) not in REFUSALS:
            continue
        code = next((k.value for k in node.keywords if k.arg == "code"), None)
        if code is None:
            if _called_name(node) not in FIXED_CODE:
                out.append(f"{where}:{node.lineno}: no code=")
            continue
        if enum is None:
            out.append(f"{where}:{node.lineno}: the app has no error_codes.py")
        elif not (
            isinstance(code, ast.Attribute)
            and isinstance(code.value, ast.Name)
            and code.value.id == enum.__name__
            and code.attr in enum.__members__
        ):
            out.append(f"{where}:{node.lineno}: code= is not a member of {enum.__name__}")
    return out


@pytest.mark.parametrize("label", sorted(label for label, f in SERVICE_FILES.items() if f))
def test_every_refusal_in_services_uses_a_code_of_its_app(label: str) -> None:
    enum = error_code_enums().get(label)
    problems = [p for path in SERVICE_FILES[label] for p in _problems(path, enum)]
    assert problems == []


def test_a_refusal_without_a_code_or_with_another_apps_code_is_caught(tmp_path: Path) -> None:
    from liaison.directory.error_codes import DirectoryErrorCode

    source = tmp_path / "services.py"
    source.write_text(
        'raise ServiceError("No.")\n'
        'raise Conflict("No.", code=AgreementErrorCode.EXPIRED)\n'
        'raise ServiceError("No.", code=DirectoryErrorCode.MISSING)\n'
        'raise ServiceError("No.", code=DirectoryErrorCode.OWN_PARENT)\n'
        "raise NotFound()\n"
    )
    assert [p.split(": ", 1)[1] for p in _problems(source, DirectoryErrorCode)] == [
        "no code=",
        "code= is not a member of DirectoryErrorCode",
        "code= is not a member of DirectoryErrorCode",
    ]


def test_every_app_with_services_declares_its_codes() -> None:
    enums = error_code_enums()
    assert enums["core"] is CoreErrorCode
    for label, files in SERVICE_FILES.items():
        raises = any(
            isinstance(n, ast.Call) and _called_name(n) in REFUSALS - FIXED_CODE
            for path in files
            for n in ast.walk(ast.parse(path.read_text()))
        )
        if raises:
            assert label in enums, f"{label} raises refusals but has no error_codes.py"


def test_the_api_can_list_every_code() -> None:
    codes = error_codes()
    assert "not_found" in codes
    assert "invalid_transition" in codes
    assert "own_parent" in codes
    assert codes == sorted(set(codes))
