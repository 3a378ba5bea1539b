"""Know the folders training libraries write, and find the logs of one run in them.

Layouts (as the libraries write them):

- Hugging Face Trainer: ``output_dir/checkpoint-N/`` holds the weights (``model.safetensors``),
  ``optimizer.pt``, ``scheduler.pt``, ``training_args.bin`` and ``trainer_state.json``, whose
  ``log_history`` is the whole loss history up to step N; ``output_dir/runs/<date>_<host>/``
  holds TensorBoard events when ``report_to`` includes it.
- Lightning: ``<root>/lightning_logs/version_K/`` holds ``checkpoints/*.ckpt``, ``hparams.yaml``
  and either ``metrics.csv`` (CSVLogger) or ``events.out.tfevents.*`` (TensorBoardLogger).
- timm ``train.py``: ``output/train/<experiment>/`` holds ``last.pth.tar``,
  ``model_best.pth.tar``, ``checkpoint-E.pth.tar``, ``summary.csv`` and ``args.yaml``.
- accelerate ``save_state``: a folder with ``model.safetensors`` (or ``pytorch_model.bin``),
  ``optimizer.bin``, ``scheduler.bin`` and ``random_states_0.pkl``; with automatic naming it
  sits at ``project_dir/checkpoints/checkpoint_N`` and the trackers log under ``project_dir``.

Several runs under one folder are never merged: the run holding the checkpoint is chosen, and
without one the user is asked (a one-line error listing the runs) to name the run. Torch-free.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from dldoctor.error_texts import err
from dldoctor.errors import InputError

__all__ = ["find_logs", "log_files", "resolve_logs", "trainer_state_records",
           "is_trainer_state", "separate_runs", "checkpoint_in", "lightning_run"]

_HF_CHECKPOINT = re.compile(r"^checkpoint-(\d+)$")
#: Folder names that mark one run among several (Lightning versions, HF ``runs/`` entries,
#: numbered or dated runs).
_RUN_NAME = re.compile(r"^(version_\d+|run[-_]?\d+|[A-Z][a-z]{2}\d{2}_\d{2}-\d{2}-\d{2}_.+|"
                       r"\d{8}[-_]\d{6}.*|\d{4}-\d{2}-\d{2}.*)$")
_LOG_NAMES = ("metrics.csv", "trainer_state.json", "summary.csv")


def _has_events(folder: Path) -> bool:
    return any(p.is_file() for p in folder.glob("*tfevents*"))


def _logs_in(folder: Path) -> list[Path]:
    """The log of one run folder: the first known log file, else the folder of its events."""
    for name in _LOG_NAMES:
        if (folder / name).is_file():
            return [folder / name]
    return [folder] if _has_events(folder) else []


def _latest_hf_checkpoint(folder: Path) -> Path | None:
    found = [(int(m.group(1)), p) for p in folder.iterdir()
             if p.is_dir() and (m := _HF_CHECKPOINT.match(p.name))
             and (p / "trainer_state.json").is_file()]
    return max(found)[1] if found else None


def separate_runs(folder: Path) -> list[Path]:
    """Run folders under ``folder`` (two levels deep) that are separate runs, not parts of one."""
    runs: list[Path] = []
    for depth in ("*", "*/*"):
        for candidate in sorted(folder.glob(depth)):
            if candidate.is_dir() and _RUN_NAME.match(candidate.name) and _logs_in(candidate):
                runs.append(candidate)
        if runs:
            break
    return runs


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def log_files(folder: Path, checkpoint: Path | None = None) -> list[Path]:
    """The log files of the one run that ``folder`` (given as ``--log``) stands for."""
    direct = [folder / n for n in _LOG_NAMES if (folder / n).is_file()]
    if direct:
        return direct[:1]
    latest = _latest_hf_checkpoint(folder)
    if latest is not None:
        return [latest / "trainer_state.json"]
    runs = separate_runs(folder)
    if len(runs) > 1 and checkpoint is not None:
        runs = [r for r in runs if _inside(checkpoint, r)] or _same_step(runs, checkpoint) \
            or runs
    if len(runs) > 1:
        names = ", ".join(str(r.relative_to(folder)) for r in runs[:6])
        more = err("runs.more", n=len(runs) - 6) if len(runs) > 6 else ""
        raise InputError(err("runs.many", path=folder, n=len(runs), names=names, more=more))
    if runs:
        return _logs_in(runs[0])
    return [folder]


_CKPT_STEP = re.compile(r"step=(\d+)")


def _last_csv_step(path: Path) -> int | None:
    """The step of the last row of a Lightning ``metrics.csv``."""
    try:
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        return int(float(rows[-1]["step"])) if rows else None
    except (OSError, UnicodeDecodeError, csv.Error, KeyError, ValueError, TypeError):
        return None


def _same_step(runs: list[Path], checkpoint: Path) -> list[Path]:
    """The one run whose CSV log ends where a Lightning checkpoint named ``…step=S.ckpt``
    was saved (its last logged step is S - 1); empty unless exactly one matches."""
    found = _CKPT_STEP.search(checkpoint.name)
    if found is None:
        return []
    step = int(found.group(1))
    matches = [r for r in runs if (r / "metrics.csv").is_file()
               and _last_csv_step(r / "metrics.csv") == step - 1]
    return matches if len(matches) == 1 else []


_LIGHTNING_VERSION = re.compile(r"^version_(\d+)$")


def lightning_run(folder: Path) -> Path | None:
    """The one Lightning run (``version_K``) that ``folder`` stands for when it is
    ``lightning_logs/`` or the ``default_root_dir`` holding it; None when it is neither. A
    folder of several versions is a one-line error naming them (runs are never merged)."""
    base = folder / "lightning_logs" if (folder / "lightning_logs").is_dir() else folder
    try:
        runs = sorted((p for p in base.iterdir()
                       if p.is_dir() and _LIGHTNING_VERSION.match(p.name)),
                      key=lambda p: int(p.name.removeprefix("version_")))
    except OSError:
        return None
    if len(runs) > 1:
        names = ", ".join(str(r.relative_to(folder)) for r in runs[:6])
        more = err("runs.more", n=len(runs) - 6) if len(runs) > 6 else ""
        raise InputError(err("runs.many", path=folder, n=len(runs), names=names, more=more))
    return runs[0] if runs else None


def _run_folder_of(checkpoint: Path) -> Path | None:
    """The run folder a checkpoint file or folder belongs to, for the known layouts."""
    here = checkpoint if checkpoint.is_dir() else checkpoint.parent
    if checkpoint.is_dir() and not _logs_in(here):  # lightning_logs/ or the root above it
        try:
            here = lightning_run(here) or here
        except InputError:
            return None  # several runs: the checkpoint's reader says which to pick
    candidates = [here]
    if here.name == "checkpoints":  # Lightning version_K/checkpoints, accelerate project_dir
        candidates.append(here.parent)
    if here.parent.name == "checkpoints":  # accelerate project_dir/checkpoints/checkpoint_N
        candidates.append(here.parent.parent)
    for folder in candidates:
        if _logs_in(folder) or _latest_hf_checkpoint(folder):
            return folder
    return None


def _tracker_run(checkpoint: Path) -> list[Path]:
    """accelerate: ``project_dir/checkpoints/checkpoint_N`` and the one tracker run that logs
    under ``project_dir`` (TensorBoard events outside ``checkpoints/``); none when several."""
    here = checkpoint if checkpoint.is_dir() else checkpoint.parent
    if (here / "checkpoints").is_dir():  # the project_dir itself
        project = here
    elif here.parent.name == "checkpoints":
        project = here.parent.parent
    else:
        return []
    runs = {p.parent for p in project.rglob("*tfevents*") if "checkpoints" not in
            p.relative_to(project).parts}
    tops = [r for r in runs if not any(o != r and _inside(r, o) for o in runs)]
    return tops if len(tops) == 1 else []


def find_logs(checkpoint: Path) -> list[Path]:
    """The logs written beside a library's checkpoint (empty when none is recognised)."""
    folder = _run_folder_of(checkpoint)
    if folder is None:
        return _tracker_run(checkpoint)
    try:
        return log_files(folder, checkpoint)
    except InputError:
        return []  # several runs and none holds the checkpoint: do not guess


def resolve_logs(checkpoint: Path | None, logs: list[Path]) -> list[Path]:
    """Expand run folders given as ``--log`` into their log files; with no ``--log``, find the
    logs beside the checkpoint."""
    if not logs:
        return find_logs(checkpoint) if checkpoint is not None else []
    out: list[Path] = []
    for log in logs:
        out.extend(log_files(log, checkpoint) if log.is_dir() else [log])
    return list(dict.fromkeys(out))


def is_trainer_state(path: Path, head: bytes) -> bool:
    """A Hugging Face ``trainer_state.json`` (one JSON document with a ``log_history``)."""
    return path.suffix == ".json" and head.lstrip().startswith(b"{") and (
        path.name == "trainer_state.json" or b'"log_history"' in head)


def trainer_state_records(path: Path) -> list[dict[str, Any]]:
    """The rows of a ``trainer_state.json`` ``log_history`` (train and eval records)."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(err("runs.unreadable", path=path, reason=exc)) from None
    except json.JSONDecodeError as exc:
        raise InputError(err("log.not_json_line", path=path, line=exc.lineno,
                                 reason=exc.msg)) from None
    history = state.get("log_history") if isinstance(state, dict) else None
    if not isinstance(history, list):
        raise InputError(err("runs.no_history", path=path))
    return [r for r in history if isinstance(r, dict)]


def _numbered(folder: Path, pattern: re.Pattern[str]) -> Path | None:
    found = [(int(m.group(1)), p) for p in folder.iterdir()
             if p.is_dir() and (m := pattern.match(p.name))]
    return max(found)[1] if found else None


_ACCELERATE_CHECKPOINT = re.compile(r"^checkpoint_(\d+)$")


def checkpoint_in(folder: Path) -> Path | None:
    """The checkpoint a library's run folder stands for, when the folder holds no weights
    itself: the HF output_dir's latest ``checkpoint-N``, a Lightning run's ``checkpoints/``
    (``last.ckpt``, else the only ``.ckpt``), accelerate's latest ``checkpoints/checkpoint_N``."""
    latest = _numbered(folder, _HF_CHECKPOINT)
    if latest is not None:
        return latest
    run = lightning_run(folder)  # lightning_logs/ or the default_root_dir: its one version
    if run is not None:
        return checkpoint_in(run)
    saved = folder / "checkpoints"
    if saved.is_dir():
        if (saved / "last.ckpt").is_file():
            return saved / "last.ckpt"
        ckpts = sorted(saved.glob("*.ckpt"))
        if len(ckpts) > 1:
            names = ", ".join(p.name for p in ckpts[:4])
            raise InputError(err("runs.many_ckpts", path=folder, n=len(ckpts), names=names))
        if ckpts:
            return ckpts[0]
        return _numbered(saved, _ACCELERATE_CHECKPOINT)
    return None
