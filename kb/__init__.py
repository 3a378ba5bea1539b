"""The built-in knowledge base: YAML rule files shipped with dldoctor."""

from __future__ import annotations

if __name__ != "dldoctor.kb":  # the source folder, imported under its own name
    raise ImportError("kb/ is the source of the package dldoctor.kb: import "
                      "dldoctor.kb (under another name its classes would be a second copy)")

from pathlib import Path

__all__ = ["BUILTIN_KB", "SEED_SOURCES"]

BUILTIN_KB = Path(__file__).resolve().parent

# The five practitioner articles the built-in rules encode (see ../shared/seeds/README.md).
SEED_SOURCES = {
    "000_0d687c3c0de7148e.txt": "深度学习debug&调参技巧 (DL debugging & tuning tricks)",
    "001_d862c7d15b898315.txt": "深度学习训练实践经验 (training practice)",
    "002_9fca986eb6288fc4.txt": "深度学习debug沉思录 (20 debugging lessons)",
    "003_1b048ab82ee90c2c.txt": "神经网络调参指南 (tuning guide)",
    "004_1e3b12ba70b3cb09.txt": "深度模型不work?Debug检查清单 (troubleshooting checklist)",
}
