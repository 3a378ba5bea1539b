"""Measurements that tell look-alike failures apart, on tiny runs the tests train.

- Adam's moments (|m̂|/√v̂) tell gradients that accumulate (no ``zero_grad()``) from healthy
  minibatch noise; parameters the optimizer holds without any state never got a gradient.
- A negative loss that runs off (a flipped sign) or keeps accuracy above chance (a KL
  divergence fed probabilities); a loss below ln(1 + 1/e) cannot be a cross-entropy fed
  probabilities.
- The engine: a cause that ``yields_to`` an established cause, or names it as a root, is
  discounted whatever their ranks.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from dldoctor.engine.cover import EXPLAIN_AWAY, explaining_away
from dldoctor.probes.base import ProbeContext
from dldoctor.probes.log_probes import probe_curves
from dldoctor.probes.static_probes import probe_optimizer
from tests.support import check_findings, forkcli, train_tiny, values_of

STEPS = 120  # Adam's moments need ~50 steps before they say anything


def _optimizer_facts(run) -> dict[str, object]:  # noqa: ANN001 - Artefacts
    found = probe_optimizer(run.inputs(live=False), ProbeContext())
    return values_of(check_findings(found, "checkpoint.optimizer"))


def _log_facts(run) -> dict[str, object]:  # noqa: ANN001 - Artefacts
    return values_of(check_findings(probe_curves(run.inputs(live=False), ProbeContext()),
                                    "log.curves"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str | None, object]:
    root = tmp_path_factory.mktemp("signals")
    return {bug: train_tiny(root / str(bug), bug, steps=STEPS)
            for bug in (None, "missing_zero_grad", "detached", "kl_probs", "loss_negated",
                        "probs_log", "init_large", "dead_relu")}


def test_adam_moments_tell_accumulated_gradients_from_noise(runs) -> None:  # noqa: ANN001
    healthy = _optimizer_facts(runs[None])["optimizer.moment_coherence"]
    accumulated = _optimizer_facts(runs["missing_zero_grad"])["optimizer.moment_coherence"]
    assert healthy < 0.8 < 1.05 < accumulated


def test_the_optimizer_remembers_far_more_than_one_gradient_when_grads_accumulate(
        runs) -> None:  # noqa: ANN001
    from dldoctor.probes.live_probes import probe_backward

    def memory(run) -> float:  # noqa: ANN001 - Artefacts
        found = check_findings(probe_backward(run.inputs(), ProbeContext()), "live.backward")
        return values_of(found)["optimizer.memory_over_gradient"]

    assert memory(runs["missing_zero_grad"]) > 12 > 1.5 > memory(runs[None])


def test_parameters_that_never_got_a_gradient_have_no_optimizer_state(runs) -> None:  # noqa: ANN001
    assert _optimizer_facts(runs["detached"])["optimizer.never_stepped_share"] == 0.5
    assert _optimizer_facts(runs[None])["optimizer.never_stepped_share"] == 0.0


def test_a_flipped_sign_runs_off_and_sinks_accuracy(runs) -> None:  # noqa: ANN001
    facts = _log_facts(runs["loss_negated"])
    assert facts["loss.negative"] is True and facts["loss.unbounded_below"] is True
    assert facts["val.acc_at_chance"] is True


def test_a_kl_fed_probabilities_stays_bounded_and_learns(runs) -> None:  # noqa: ANN001
    facts = _log_facts(runs["kl_probs"])
    assert facts["loss.negative"] is True
    assert facts.get("loss.unbounded_below") is not True
    assert facts["val.acc_at_chance"] is False


def test_a_loss_below_the_logit_floor_is_not_cross_entropy_on_probabilities(runs) -> None:  # noqa: ANN001
    assert _log_facts(runs["probs_log"])["loss.below_logit_loss_floor"] is True


def test_with_class_index_targets_the_floor_is_the_c_class_one(tmp_path) -> None:  # noqa: ANN001
    """Cross-entropy fed probabilities cannot go below ln(1 + (C − 1)/e): 0.55 for 3 classes.
    A real cross-entropy stopped at 0.40 is below it, though above the 2-class 0.31 the log
    alone must assume (the batch's class indices say there is one class per sample)."""
    run = train_tiny(tmp_path, None, steps=30)
    assert _log_facts(run)["loss.below_logit_loss_floor"] is False
    with_batch = values_of(check_findings(probe_curves(run.inputs(), ProbeContext()),
                                          "log.curves"))
    assert with_batch["loss.below_logit_loss_floor"] is True


def test_dead_units_keep_their_negative_bias_in_the_checkpoint(runs) -> None:  # noqa: ANN001
    from dldoctor.probes.static_probes import probe_weights

    def stuck(run) -> float:  # noqa: ANN001 - Artefacts
        found = check_findings(probe_weights(run.inputs(live=False), ProbeContext()),
                               "checkpoint.weights")
        return values_of(found)["weights.stuck_negative_bias_share"]

    assert stuck(runs["dead_relu"]) == 1.0 and stuck(runs[None]) < 0.5


def test_the_fresh_model_shows_its_initialisation_after_training(runs) -> None:  # noqa: ANN001
    from dldoctor.probes.live_probes import probe_forward

    def forward(run) -> dict[str, object]:  # noqa: ANN001 - Artefacts
        return values_of(check_findings(probe_forward(run.inputs(), ProbeContext()),
                                        "live.forward"))

    large, healthy = forward(runs["init_large"]), forward(runs[None])
    assert large["init.act_std_max"] > 10 and large["init.scale_ratio_max"] > 3
    assert healthy["init.act_std_max"] < 5


def _diagnose(*args: str) -> tuple[int, list[tuple[str, float]]]:
    exe = shutil.which("diagnose") or "diagnose"
    out = forkcli.run([exe, *args, "--format", "json", "--no-input", "--device", "cpu"],
                      capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert out.returncode in (0, 1), out.stderr
    report = json.loads(out.stdout)
    return out.returncode, [(d["cause"], d["confidence"]) for d in report["diagnoses"]]


def test_the_initialisation_is_named_from_the_fresh_model(runs) -> None:  # noqa: ANN001
    run = runs["init_large"]
    rc, ranked = _diagnose("--checkpoint", str(run.checkpoint), "--log", str(run.log),
                           "--model", run.model_spec, "--batch", str(run.batch))
    assert rc == 1 and ranked[0][0] == "bad_weight_init", ranked


@pytest.mark.parametrize(("bug", "cause"), [
    ("missing_zero_grad", "missing_zero_grad"),
    ("kl_probs", "kl_div_wrong_inputs"),
    ("loss_negated", "loss_sign_error"),
])
def test_checkpoint_and_log_alone_name_the_cause(runs, bug: str, cause: str) -> None:  # noqa: ANN001
    run = runs[bug]
    rc, ranked = _diagnose("--checkpoint", str(run.checkpoint), "--log", str(run.log))
    assert rc == 1 and ranked[0][0] == cause, ranked


def test_a_cause_yields_to_an_established_confounder_whatever_the_ranks() -> None:
    ranked = [("lr_too_high", 0.99, frozenset({"loss.non_finite"})),
              ("bad_weight_init", 0.91, frozenset({"init.scale_ratio_max"}))]
    beliefs = explaining_away(ranked, {}, {"lr_too_high": frozenset({"bad_weight_init"})})
    assert beliefs["lr_too_high"] == (pytest.approx(0.99 * (1 - EXPLAIN_AWAY * 0.91)),
                                      "bad_weight_init")
    assert beliefs["bad_weight_init"] == (0.91, None)
    # without the declaration the stronger rules win
    assert explaining_away(ranked)["lr_too_high"] == (0.99, None)


def test_a_named_root_explains_its_mechanism_ranked_above_it() -> None:
    ranked = [("overfitting", 0.87, frozenset({"val.rising_while_train_falls"})),
              ("missing_zero_grad", 0.80, frozenset({"optimizer.moment_coherence"})),
              ("class_imbalance", 0.60, frozenset({"batch.imbalance_ratio"}))]
    roots = {"overfitting": frozenset({"any_root", "missing_zero_grad"})}
    beliefs = explaining_away(ranked, roots)
    assert beliefs["overfitting"][1] == "missing_zero_grad"
    assert beliefs["overfitting"][0] < beliefs["missing_zero_grad"][0]
    # "any root" is a matter of rank: a weaker unrelated root does not discount it
    assert explaining_away(ranked[:1] + ranked[2:], roots)["overfitting"] == (0.87, None)


def test_the_optimizer_memory_of_a_flipped_loss_points_uphill(runs) -> None:  # noqa: ANN001
    from dldoctor.probes.live_probes import probe_backward

    def facts(run) -> dict[str, object]:  # noqa: ANN001 - Artefacts
        return values_of(check_findings(probe_backward(run.inputs(), ProbeContext()),
                                        "live.backward"))

    assert facts(runs["loss_negated"])["optimizer.memory_opposes_gradient"] is True
    assert facts(runs["missing_zero_grad"])["optimizer.memory_opposes_gradient"] is False
    assert facts(runs[None])["optimizer.memory_opposes_gradient"] is False
