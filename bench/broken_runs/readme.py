"""Write one section of ``bench/README.md`` without touching the others."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from bench.broken_runs.generate import DEFAULT_OUT

__all__ = ["README", "update_section", "table", "kb_line"]

README = Path(__file__).resolve().parents[1] / "README.md"


def update_section(heading: str, body: str, path: Path = README) -> None:
    """Replace the text under ``heading`` (up to the next ``## `` heading), or append it."""
    text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    lines = text.splitlines()
    new = [heading, "", *body.strip("\n").splitlines(), ""]
    try:
        start = lines.index(heading)
    except ValueError:
        if lines and lines[-1].strip():
            lines.append("")
        path.write_text("\n".join(lines + new) + "\n", "utf-8")
        return
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))
    path.write_text("\n".join(lines[:start] + new + lines[end:]).rstrip("\n") + "\n", "utf-8")


def table(header: list[str], rows: list[list[str]]) -> str:
    """A Markdown table."""
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(out)


def kb_line() -> str:
    """How to reproduce, and the size of the knowledge base the numbers were measured with."""
    import datetime
    import os

    from dldoctor.kbpaths import load_knowledge

    try:
        kb = load_knowledge()
        size = f"{len(kb.causes)} causes, {len(kb.rules)} rules, {len(kb.facts)} facts"
    except Exception as exc:  # the numbers still say which KB state they come from
        size = f"not loadable ({type(exc).__name__})"
    return (
        f"Measured {datetime.date.today()} on {os.cpu_count()} CPU cores shared with other "
        f"jobs (times are pessimistic), knowledge base: {size}. Runs: "
        "`python -m bench.broken_runs.generate` (cached in `bench/out/runs`, under a minute); "
        "misses and the knowledge or probe that would fix each: `bench/MISSES.md`.\n\n"
    )


def bench_arguments(doc: str, heading: str, argv: list[str] | None) -> argparse.Namespace:
    """The command line every benchmark over the broken runs shares."""

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="run cache folder")
    parser.add_argument("--only", default="", help="comma-separated scenario ids")
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--write-readme", action="store_true",
                        help=f"update the '{heading}' section of bench/README.md")
    return parser.parse_args(argv)
