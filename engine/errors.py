"""Errors of the knowledge-base loader, each with a file position."""

from __future__ import annotations

from dataclasses import dataclass

from dldoctor.errors import DldoctorError

__all__ = ["Problem", "KBError"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in a knowledge-base file: where it is and what is wrong."""

    file: str
    line: int  # 1-based; 0 when the whole file is meant
    column: int  # 1-based; 0 when unknown
    where: str  # dotted path inside the file, e.g. "rules[3].when"
    message: str
    code: str = "schema"
    severity: str = "error"

    def format(self, with_column: bool = False, with_code: bool = False) -> str:
        """Render as ``file:line: where: message`` (the form editors and CI understand)."""
        pos = f"{self.file}:{self.line}"
        if with_column and self.column:
            pos += f":{self.column}"
        code = f" {self.code}:" if with_code else ""
        where = f" {self.where}:" if self.where else ""
        return f"{pos}:{code}{where} {self.message}"


class KBError(DldoctorError):
    """The knowledge base could not be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        first = self.problems[0].format() if self.problems else "unknown problem"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(first + more)
