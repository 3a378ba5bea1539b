"""dldoctor: tells you why your deep-learning training does not work and what to change."""

from __future__ import annotations

__version__ = "0.1.0"
