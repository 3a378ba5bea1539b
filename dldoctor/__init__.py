"""dldoctor: tells you why your deep-learning training does not work and what to change."""

from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name: str):  # noqa: ANN202 - lazy: `import dldoctor` must not import torch
    if name == "watch":
        from dldoctor.watcher import watch

        return watch
    raise AttributeError(f"module 'dldoctor' has no attribute {name!r}")
