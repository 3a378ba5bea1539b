"""A reinforcement-learning log's reward (the eighteenth hand set's REINFORCE bandit, whose
policy loss lost its minus): a reward that ends below its random start is an objective
minimised the wrong way; the same bandit trained right raises it. Both trained here."""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from dldoctor.probes.log_probes import curve_findings
from dldoctor.probes.logs import read_log
from tests.support import values_of, write_csv_log


def _bandit_log(tmp_path: Path, sign: float) -> Path:
    """REINFORCE on a 5-armed contextual bandit (the best arm is the context's argmax);
    ``sign`` 1.0 minimises minus the objective (right), -1.0 the objective itself."""
    gen = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    policy = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 5))
    opt = torch.optim.Adam(policy.parameters(), lr=0.02)
    rows: dict[str, list] = {"update": [], "policy_loss": [], "avg_reward": []}
    for update in range(60):
        context = torch.randn(64, 5, generator=gen)
        dist = torch.distributions.Categorical(logits=policy(context))
        arm = dist.sample()
        reward = (arm == context.argmax(1)).float()
        loss = -sign * (dist.log_prob(arm) * (reward - reward.mean())).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        rows["update"].append(update)
        rows["policy_loss"].append(float(loss.detach()))
        rows["avg_reward"].append(float(reward.mean()))
    return write_csv_log(tmp_path / f"bandit{sign:+.0f}.csv", rows)


def test_a_reward_that_ends_below_its_start_is_read_as_falling(tmp_path: Path) -> None:
    flipped = read_log(_bandit_log(tmp_path, -1.0))
    rewards = flipped.get("reward")
    assert rewards is not None and rewards.values[-15:].mean() < rewards.values[:3].mean()
    assert values_of(curve_findings(flipped))["metric.reward_falls"] is True
    right = read_log(_bandit_log(tmp_path, 1.0))
    assert values_of(curve_findings(right))["metric.reward_falls"] is False
