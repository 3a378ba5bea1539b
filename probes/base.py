"""What every probe takes and returns. Torch-free, so the engine side can import it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, get_args

from dldoctor.errors import DldoctorError

__all__ = ["Finding", "Inputs", "ProbeContext", "Need", "NEEDS", "Cancelled",
           "DEFAULT_PROBE_BUDGET"]

Need = Literal["checkpoint", "log", "model", "batch", "trace"]
#: Every kind of artefact, in that order.
NEEDS: tuple[Need, ...] = get_args(Need)

#: Default wall-time limit of one live check (``--probe-budget``); it only ever aborts.
DEFAULT_PROBE_BUDGET = 120.0


@dataclass(frozen=True)
class Finding:
    """A fact a probe measured, with the evidence a person can check.

    ``value`` may be :data:`dldoctor.engine.UNKNOWN` when the probe looked but could not tell.
    """

    fact: str
    value: Any
    evidence: str = ""
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Inputs:
    """The artefacts a user handed over."""

    checkpoint: Path | None = None
    logs: tuple[Path, ...] = ()
    model: str | None = None  # "file.py:factory" or "package.module:factory"
    batch: Path | None = None
    device: Literal["auto", "cpu", "cuda"] = "auto"
    trust: bool = False  # allow full pickle loading (runs code from the file)
    trace: Path | None = None  # written by dldoctor.watch

    def has(self, need: Need) -> bool:
        if need == "checkpoint":
            return self.checkpoint is not None
        if need == "log":
            return bool(self.logs)
        if need == "model":
            return self.model is not None
        if need == "trace":
            return self.trace is not None
        return self.batch is not None

    def attached(self) -> bool:
        """Whether any artefact was handed over (not only words)."""
        return any(self.has(need) for need in NEEDS)

    def to_json(self) -> dict[str, Any]:
        return {
            "checkpoint": str(self.checkpoint) if self.checkpoint else None,
            "logs": [str(p) for p in self.logs],
            "model": self.model,
            "batch": str(self.batch) if self.batch else None,
            "device": self.device,
            "trust": self.trust,
            "trace": str(self.trace) if self.trace else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Inputs:
        return cls(
            checkpoint=Path(data["checkpoint"]) if data.get("checkpoint") else None,
            logs=tuple(Path(p) for p in data.get("logs", ())),
            model=data.get("model"),
            batch=Path(data["batch"]) if data.get("batch") else None,
            device=data.get("device", "auto"),
            trust=bool(data.get("trust", False)),
            trace=Path(data["trace"]) if data.get("trace") else None,
        )


class Cancelled(DldoctorError):
    """The user cancelled a running probe."""


@dataclass
class ProbeContext:
    """What a running probe may use: a progress callback, a cancel flag, a shared cache.

    The cache lets probes share expensive work (a loaded checkpoint, a parsed log) within
    one session; ``notes`` collects remarks for the report (a fallback taken, weights skipped).
    """

    progress: Callable[[float, str], None] = lambda fraction, message: None
    cancelled: threading.Event = field(default_factory=threading.Event)
    cache: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: Safety limit of each live check, in seconds of wall time. The checks are specified in
    #: steps and samples; past this limit a check stops and reports "not measured", never a
    #: finding, so a busy machine can cost a measurement but never change one.
    max_seconds: float = DEFAULT_PROBE_BUDGET

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user asked to stop."""
        if self.cancelled.is_set():
            raise Cancelled()
