"""Option and argument conversion without pydantic (issue 15: no pydantic on any command's path).

Typer 0.29 converts every non-flag value through a pydantic ``TypeAdapter`` that it builds on first use
(``_TyperParameter.get_runtime_param``); importing pydantic and building the adapters costs more than
the rest of a command's start-up. The types our commands declare (str, bool, int, float, Path, lists of
them, ranges by ``min``/``max``) need none of it: :func:`go_native` gives each such parameter a converter
of its own that accepts and rejects what typer's adapter does, with pydantic's messages. A parameter of
any other type keeps typer's own conversion (and ``tests/cli/test_app.py`` fails until it is added here).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import RuntimeParam
from typer._param_types import coerce_cli_path
from typer.core import _TyperParameter
from typer.models import ParameterInfo

__all__ = ["NativeParam", "go_native"]

_TRUE = {"1", "on", "t", "true", "y", "yes"}
_FALSE = {"0", "f", "false", "n", "no", "off"}


@dataclass(frozen=True)
class NativeParam(RuntimeParam):
    """Conversion of one parameter by a plain function; ``ValueError`` becomes click's BadParameter."""

    convert: Callable[[Any, _TyperParameter, Context], Any]
    is_list: bool

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        try:
            if self.is_list:
                items = value if isinstance(value, (list, tuple)) else [value]
                return [self.convert(item, param, ctx) for item in items]
            return self.convert(value, param, ctx)
        except ValueError as exc:
            raise BadParameter(str(exc), ctx=ctx, param=param) from None


def _text(value: Any, _param: _TyperParameter, _ctx: Context) -> str:
    if isinstance(value, bytes):  # typer's _parse_cli_str: the argv encoding, then a lenient decode
        try:
            return value.decode(sys.getfilesystemencoding())
        except UnicodeError:
            return value.decode("utf-8", "replace")
    return str(value)


def _flag(value: Any, _param: _TyperParameter, _ctx: Context) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise ValueError("Input should be a valid boolean, unable to interpret input")


def _integer(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if text.isascii():
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)  # pydantic takes "12.0" as 12, not "12.5"
            except ValueError:
                pass
            else:
                if number.is_integer():
                    return int(number)
    raise ValueError("Input should be a valid integer, unable to parse string as an integer")


def _real(value: Any) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        raise ValueError("Input should be a valid number, unable to parse string as a number") from None


def _number(kind: type, info: ParameterInfo) -> Callable[[Any, _TyperParameter, Context], Any]:
    parse = _integer if kind is int else _real

    def convert(value: Any, _param: _TyperParameter, _ctx: Context) -> Any:
        number = parse(value)
        if info.min is not None and number < info.min:
            raise ValueError(f"Input should be greater than or equal to {info.min}")
        if info.max is not None and number > info.max:
            raise ValueError(f"Input should be less than or equal to {info.max}")
        return number

    return convert


def _path(info: ParameterInfo) -> Callable[[Any, _TyperParameter, Context], Any]:
    def convert(value: Any, param: _TyperParameter, ctx: Context) -> Any:
        # typer's own checks (exists, file_okay, readable...), given a Path so that it skips pydantic
        path = value if isinstance(value, Path) else Path(_text(value, param, ctx))
        return coerce_cli_path(path, info, path_type=Path, param=param, ctx=ctx)

    return convert


def _converter(annotation: Any, info: ParameterInfo) -> Callable[[Any, _TyperParameter, Context], Any] | None:
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return None
    if annotation is str:
        return _text
    if annotation is bool:
        return _flag
    if annotation in (int, float) and not info.clamp:
        return _number(annotation, info)
    if annotation is Path and info.path_type is None:
        return _path(info)
    return None


def native_param(param: _TyperParameter) -> NativeParam | None:
    """The native conversion of ``param``, or None when its type is not one we convert."""
    descriptor = param.type_descriptor
    if descriptor.file_annotation is not None:
        return None
    annotation: Any = descriptor.annotation
    is_list = get_origin(annotation) is list
    if is_list:
        (annotation,) = get_args(annotation)
    convert = _converter(annotation, descriptor.parameter_info)
    if convert is None:
        return None
    return NativeParam(
        parameter_info=descriptor.parameter_info,
        annotation=descriptor.annotation,
        convert=convert,
        is_list=is_list,
    )


def go_native(params: list[Any]) -> None:
    """Give every typer parameter in ``params`` its native conversion where one exists."""
    for param in params:
        if isinstance(param, _TyperParameter) and param._runtime_param is None:
            native = native_param(param)
            if native is not None:
                param._runtime_param = native
