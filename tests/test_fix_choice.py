"""Fixes that fit the model: the image-grid snippet for checking labels is shown for a model
with 2-D (image) convolutions, a plain print of rows for the others (a 1-D signal CNN too)."""

from __future__ import annotations

from dldoctor.kbpaths import load_knowledge
from dldoctor.session import Session


def _labels_fixes(has_conv2d: str) -> str:
    session = Session(load_knowledge())
    for fact, value in (("val.acc_at_chance", "yes"), ("overfit.outcome", "reaches_zero"),
                        ("metric.train_good_test_bad", "yes"), ("weights.has_conv2d", has_conv2d)):
        session.set_fact(fact, value)
    diagnosis = next(d for d in session.report().diagnoses if d.cause == "labels_wrong")
    return "\n".join(f.text + (f.snippet or "") for f in diagnosis.fixes)


def test_the_label_check_fits_the_model() -> None:
    conv, table = _labels_fixes("yes"), _labels_fixes("no")
    assert "make_grid" in conv and "print(y[i]" in conv
    assert "make_grid" not in table and "print(y[i]" in table
