"""The trust benchmark: generate the runs, diagnose each in two modes, score per part.

    python -m bench.trust [--seeds 0-29] [--families ...] [--parts tuning,held_out]
                          [--modes all,ckpt_log] [--every K] [--jobs N] [--subprocess]
                          [--complaint] [--json FILE] [--write-readme]

Writes the JSON result (summaries, reliability, confusion, per-run outcomes) to
``bench/out/trust.json`` and, with ``--write-readme``, the section "Trust benchmark
(held-out)" of ``bench/README.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench.broken_runs.readme import update_section
from bench.generator.config import FAMILIES
from bench.generator.generate import DEFAULT_OUT, generate, parse_seeds
from bench.generator.plan import CONTROL_SEEDS, plan
from bench.generator.split import PARTS

from .report import HEADING, markdown
from .run import MODES, Outcome, diagnose
from .score import by_family, confusion, score

__all__ = ["main", "evaluate", "DEFAULT_JSON"]

DEFAULT_JSON = DEFAULT_OUT.parent / "trust.json"


def code_fingerprint() -> str:
    """A hash of the diagnosing code and knowledge (engine, kb, probes, dldoctor)."""
    root = Path(__file__).resolve().parents[2]
    h = hashlib.sha256()
    for folder in ("engine", "kb", "probes", "dldoctor"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".yaml", ".yml") and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _diagnose_run(args: tuple[str, tuple[str, ...], bool, bool, str]) -> list[dict[str, Any]]:
    """Diagnose one run in each mode; reuse a stored outcome of the same code and inputs."""
    run, modes, complaint, sub, code = args
    got = []
    for m in modes:
        cache = Path(run) / f"outcome_{m}{'_complaint' if complaint else ''}.json"
        if cache.is_file():
            stored = json.loads(cache.read_text("utf-8"))
            if stored.get("code") == code:
                got.append(stored["outcome"])
                continue
        outcome = asdict(diagnose(Path(run), m, complaint=complaint, subprocess_=sub))
        if not outcome["error"]:
            cache.write_text(json.dumps({"code": code, "outcome": outcome}) + "\n", "utf-8")
        got.append(outcome)
    return got


def evaluate(truths: list[dict[str, Any]], out: Path, modes: tuple[str, ...] = MODES,
             jobs: int = 1, complaint: bool = False, subprocess_: bool = False,
             progress: bool = False) -> dict[str, Any]:
    """Diagnose every run in ``truths`` (under ``out``) and score it per part and mode."""
    code = code_fingerprint()
    work = [(str(out / t["id"]), modes, complaint, subprocess_, code) for t in truths]
    outcomes: list[list[dict[str, Any]]] = []
    with ProcessPoolExecutor(max(1, jobs)) as pool:
        for i, got in enumerate(pool.map(_diagnose_run, work)):
            outcomes.append(got)
            if progress:
                print(f"[{i + 1}/{len(work)}] {truths[i]['id']}: " + "; ".join(
                    f"{o['mode']} rc={o['rc']} {o['seconds']}s "
                    + ",".join(f"{d['cause']}:{d['confidence']:.2f}" for d in o["diagnoses"][:2])
                    for o in got), flush=True)
    result: dict[str, Any] = {"summary": {}, "confusion": {}, "families": {}, "runs": []}
    for p in PARTS:
        for m in modes:
            pairs = [(Outcome(**o[modes.index(m)]), t) for o, t in zip(outcomes, truths,
                                                                       strict=True)
                     if t["part"] == p]
            if not pairs:
                continue
            result["summary"].setdefault(p, {})[m] = score(pairs)
            result["confusion"].setdefault(p, {})[m] = {k: dict(v) for k, v in
                                                        confusion(pairs).items()}
            result["families"].setdefault(p, {})[m] = by_family(pairs)
    for o, t in zip(outcomes, truths, strict=True):
        result["runs"].append({"id": t["id"], "part": t["part"], "family": t["family"],
                               "causes": t["causes"], "severity": t["severity"],
                               "outcomes": o})
    return result


def _select(truths: list[dict[str, Any]], parts: set[str], every: int) -> list[dict[str, Any]]:
    """The runs of ``parts``; with ``every`` K > 1 one in K, balanced over families and seeds."""
    return [t for t in truths if t["part"] in parts
            and (t["seed"] + FAMILIES.index(t["family"])) % max(1, every) == 0]


def _merge(result: dict[str, Any], old: dict[str, Any]) -> None:
    """Keep ``old``'s part/mode scores that ``result`` lacks (runs scored in two sittings)."""
    for key in ("summary", "confusion", "families"):
        for p, modes in old.get(key, {}).items():
            for m, value in modes.items():
                result[key].setdefault(p, {}).setdefault(m, value)
    seen = {r["id"] for r in result["runs"]}
    result["runs"] += [r for r in old.get("runs", []) if r["id"] not in seen]
    result["command"] = f"{old.get('command', '?')}; then {result.get('command', '?')}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="run cache folder")
    parser.add_argument("--seeds", default=f"0-{CONTROL_SEEDS[-1]}")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--parts", default=",".join(PARTS))
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--every", type=int, default=1,
                        help="score one run in K (seed + family index divisible by K): a "
                        "quicker sample, balanced over families and seeds")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--subprocess", action="store_true",
                        help="run the installed `diagnose` per run instead of in-process")
    parser.add_argument("--complaint", action="store_true",
                        help="also pass the run's complaint line as --symptom")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
    parser.add_argument("--merge", type=Path,
                        help="a previous result JSON whose parts/modes not scored now are kept")
    parser.add_argument("--render", type=Path,
                        help="only write the README section from this result JSON")
    parser.add_argument("--write-readme", action="store_true",
                        help=f"update the '{HEADING}' section of bench/README.md")
    args = parser.parse_args(argv)
    if args.render:
        update_section(HEADING, markdown(json.loads(args.render.read_text("utf-8"))))
        return 0
    modes = tuple(m for m in args.modes.split(",") if m)
    families = tuple(f for f in args.families.split(",") if f)
    bad = [m for m in modes if m not in MODES] + [f for f in families if f not in FAMILIES]
    if bad:
        parser.error(f"unknown mode or family {bad[0]!r}")
    start = time.perf_counter()
    truths = generate(plan(parse_seeds(args.seeds), families), args.out, args.jobs)
    gen_wall = time.perf_counter() - start
    chosen = _select(truths, set(args.parts.split(",")), args.every)
    result = evaluate(chosen, args.out, modes, args.jobs, args.complaint, args.subprocess,
                      progress=True)
    result["generation"] = {
        "runs": len(truths), "wall_seconds": round(gen_wall, 1),
        "trained_now": sum(not t["cached"] for t in truths),
        "train_cpu_seconds": round(sum(t["train_cpu_seconds"] for t in truths), 1)}
    fresh = args.out / "generation.json"
    if fresh.is_file():  # the timing of the last full generation from scratch
        result["generation"]["fresh"] = json.loads(fresh.read_text("utf-8"))
    result["wall_seconds"] = round(time.perf_counter() - start, 1)
    result["command"] = " ".join(["python -m bench.trust", *(argv if argv is not None
                                                             else sys.argv[1:])])
    if args.merge:
        _merge(result, json.loads(args.merge.read_text("utf-8")))
    for p, ms in result["summary"].items():
        for m, s in ms.items():
            print(f"{p:9} {m:9} " + json.dumps({k: v for k, v in s.items()
                                                if k != "reliability"}))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"{len(chosen)} runs scored in {result['wall_seconds']} s; JSON: {args.json}")
    if args.write_readme:
        update_section(HEADING, markdown(result))
    return 0
