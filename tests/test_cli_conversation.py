"""The command line as a person meets it: -h, readable metavars, progress that fits the
terminal, Chinese output, no overwriting without --force, the complaint in the export."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from dldoctor.cli.prompt import announcement, progress_line
from dldoctor.kbpaths import load_knowledge
from dldoctor.render import render_markdown, render_text
from dldoctor.session import ProbeRun, Session
from dldoctor.wrap import cell_len

DLDOCTOR = shutil.which("dldoctor") or "dldoctor"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DLDOCTOR, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, env={"COLUMNS": "100", "PATH": str(Path(DLDOCTOR).parent)
                                            + ":/usr/bin:/bin"})


@pytest.fixture(scope="module")
def zh_session() -> Session:
    session = Session(load_knowledge(), lang="zh")
    session.complain("loss 变成 nan")
    session.set_fact("loss.non_finite_step", "30")
    session.answer("setup.loss_kind", "1")
    session.answer("setup.uses_fp16", "?")
    return session


def test_dash_h_and_readable_metavars() -> None:
    out = run("diagnose", "-h")
    assert out.returncode == 0, out.stderr
    for metavar in ("--checkpoint PATH", "--symptom TEXT", "--set FACT=VALUE", "--lang LANG"):
        assert metavar in out.stdout
    assert "<" not in out.stdout and "list[" not in out.stdout


def test_save_session_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "session.json"
    target.write_text("keep", "utf-8")
    args = ("diagnose", "--symptom", "loss is nan", "--no-input", "--save-session", str(target))
    out = run(*args)
    assert out.returncode == 2 and "--force" in out.stderr and len(out.stderr.splitlines()) == 1
    assert target.read_text("utf-8") == "keep"
    assert run(*args, "--force").returncode in (0, 1)
    assert target.read_text("utf-8").startswith("{")


def test_progress_fits_the_terminal_and_speaks_chinese(zh_session: Session) -> None:
    title = "读取训练日志并判断 loss 曲线的形状"
    line = progress_line(title, 0.42, "reading logs", 40)
    assert cell_len(line) <= 39 and line.endswith(":  42%")  # the title gave way, not the %
    assert progress_line(title, 0.42, "reading logs", 100).endswith(":  42% reading logs")
    assert cell_len(progress_line("x" * 200, 0.5, "reading", 80)) <= 79
    run_ = ProbeRun("log.curves", seconds=2.5)
    zh = "dldoctor：读取训练日志并判断 loss 曲线形态：0 项发现（2.5 秒）"
    assert announcement(run_, zh_session) == zh
    en = Session(zh_session.kb)
    assert announcement(run_, en).endswith(": 0 findings (2.5 s)")


def test_chinese_report_text_and_markdown(zh_session: Session) -> None:
    report = zh_session.report()
    text = render_text(report, width=60, session=zh_session)
    assert all(cell_len(line) <= 60 for line in text.splitlines()
               if not line.startswith("       "))  # code snippets are never wrapped
    assert "Evidence" not in text and "yes —" not in text and "支持]" in text  # signed, in zh
    assert "--set setup.uses_fp16=" not in text  # answered: not asked again
    md = render_markdown(report, zh_session)
    assert "## 你告诉我的" in md and "“loss 变成 nan”" in md  # the complaint, as typed
    assert "交叉熵" in md and "不知道" in md  # answers as given, "?" as don't know
    assert "| 事实 | 值 | 来源 |" in md
    assert "| None |" not in md and "**None**" not in md and "['" not in md
    assert "《深度学习debug&调参技巧》" in md  # sources by title (the id kept beside it)


def test_a_failed_probe_note_and_no_diagnosis_in_chinese() -> None:
    from dldoctor.report import Report

    report = Report({}, [], [], [], ["probe log.curves failed: train.csv: no loss column"], "zh",
                    examined=["checkpoint"])
    text = render_text(report)
    assert text.startswith("未发现问题。")
    assert "检查 log.curves 失败：train.csv: no loss column" in text
    assert "failed" not in text.replace("no loss column", "")


def test_a_report_that_found_nothing_lists_only_the_sharpest_questions() -> None:
    from dldoctor.report import Report

    asked = [(f"q.fact{i}", f"Question {i}?") for i in range(7)]
    quiet = render_text(Report({}, [], [], asked, [], examined=["checkpoint"]))
    assert "Question 2?" in quiet and "Question 3?" not in quiet
    assert "and 4 more (`--format json` lists them all" in quiet
    described = render_text(Report({}, [], [], asked, [], examined=["complaint"],
                                   reported=["loss is nan"]))
    assert "Question 6?" in described and "more (" not in described
