"""Disruption prediction for a tokamak (plasma physics): from the last 64 ms of six 1-kHz plasma
diagnostics — plasma current Ip (MA), n=1 locked-mode amplitude (G), radiated-power fraction,
internal inductance li, Greenwald density fraction, q95 — decide whether the shot will
disrupt within the next 30 ms. Synthetic shots: stable flat-top discharges with slow drifts,
sawtooth wiggles and 10 % transient mode bursts that heal; disruptive shots have a precursor
starting at a random time in the window (a locked mode growing exponentially, rising radiated
fraction and li, density creeping toward the Greenwald limit, Ip sagging at the end), weak in
about a third of them. 45 % of the shots disrupt. The windows come from the shot database as
one array per time slice (``signals[t]`` is (n_shots, 6), stacked to (64, n_shots, 6)),
standardised per channel. A GRU(48) over the 64 steps, the last hidden state into a linear
logit; BCE-with-logits, Adam 2e-3, batch 64, 12 epochs of 1400 shots; a CSV log per epoch
(epoch, bce_train, bce_val, auc_val, acc_val).
Bug: ``to_sequences`` turns the time-major (64, n_shots, 6) stack into the batch-first layout
the GRU expects with ``signals.reshape(n_shots, 64, 6)`` instead of ``signals.permute(1, 0,
2)``: each "sequence" is then 64 different shots at (nearly) one time slice, none of them
(except by chance) the shot whose label it carries. Train BCE 0.694 → 0.675 in 12 epochs, val
BCE 0.686 → 0.681, val AUC 0.55–0.57, val accuracy 0.535–0.56 against 0.5575 for "never
disrupts". The control (``signals.permute(1, 0, 2)``): train BCE 0.538 → 0.143, val BCE 0.411
→ 0.124, val AUC 0.907 → 0.995, val accuracy 0.835 → 0.958."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

T, CH = 64, ["ip_MA", "locked_mode_G", "prad_frac", "li", "greenwald_frac", "q95"]


def shots(n, g):
    """The shot database export: a list of 64 time slices, each (n_shots, 6), and the labels."""
    t = torch.arange(T).float()
    y = (torch.rand(n, generator=g) < 0.45).float()
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    base = torch.stack([1.0 + 0.5 * r(n), 0.5 * r(n), 0.3 + 0.2 * r(n), 0.8 + 0.2 * r(n),
                        0.5 + 0.25 * r(n), 3.0 + 1.5 * r(n)], 1)  # (n, 6)
    x = base[:, None, :].repeat(1, T, 1)
    x = x + 0.02 * torch.cumsum(torch.randn(n, T, 6, generator=g), 1)  # slow drifts
    saw = ((t[None] + 20 * r(n, 1)) % (8 + 6 * r(n, 1))) / 14
    x[..., 3] += 0.03 * saw
    onset = 5 + 50 * r(n, 1)
    strength = torch.where(r(n, 1) < 0.33, 0.3 + 0.2 * r(n, 1), 0.8 + 0.4 * r(n, 1))
    ramp = ((t[None] - onset).clamp_min(0) / 10).clamp_max(4)  # (n, T)
    grow = strength * (torch.exp(ramp) - 1) / 20
    d = y[:, None]
    x[..., 1] += d * 3 * grow
    x[..., 2] += d * 0.15 * grow.clamp_max(2)
    x[..., 3] += d * 0.1 * grow.clamp_max(2)
    x[..., 4] += d * 0.2 * (t[None] - onset).clamp_min(0) / T * strength
    x[..., 0] -= d * 0.05 * grow.clamp_max(3) * (t[None] > T - 12).float()
    burst = (r(n, 1) < 0.1).float() * torch.exp(-((t[None] - 64 * r(n, 1)) / 4) ** 2)
    x[..., 1] += (1 - d) * 1.5 * burst
    x = x + 0.03 * torch.randn(n, T, 6, generator=g) * x.abs().mean((0, 1))
    return [x[:, k] for k in range(T)], y


def to_sequences(slices):
    signals = torch.stack(slices)  # (T, n_shots, 6)
    n_shots = signals.shape[1]
    return signals.reshape(n_shots, T, len(CH))  # (n_shots, T, 6) for the batch_first GRU


class DisruptionGRU(nn.Module):
    def __init__(self, hidden=48):
        super().__init__()
        self.gru = nn.GRU(len(CH), hidden, batch_first=True)
        self.out = nn.Linear(hidden, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h[:, -1]).squeeze(-1)


def build():
    torch.manual_seed(0)
    return DisruptionGRU()


def auc(score, y):
    order = torch.argsort(score)
    ranks = torch.empty_like(score)
    ranks[order] = torch.arange(1, len(score) + 1).float()
    pos = y.sum()
    return ((ranks[y == 1].sum() - pos * (pos + 1) / 2) / (pos * (len(y) - pos))).item()


def main():
    from _hundredthird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr_slices, ytr = shots(1400, g)
    va_slices, yva = shots(400, g)
    xtr, xva = to_sequences(tr_slices), to_sequences(va_slices)
    mu, sd = xtr.mean((0, 1)), xtr.std((0, 1))
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "disruption_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "bce_train", "bce_val", "auc_val", "acc_val"])
        for epoch in range(1, 13):
            model.train()
            perm = torch.randperm(len(xtr), generator=g)
            tot = 0.0
            for i in range(0, len(xtr), 64):
                idx = perm[i:i + 64]
                loss = F.binary_cross_entropy_with_logits(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                s = model(xva)
                row = [epoch, round(tot / len(xtr), 4),
                       round(F.binary_cross_entropy_with_logits(s, yva).item(), 4),
                       round(auc(s, yva), 4), round(((s > 0).float() == yva).float().mean().item(), 4)]
            w.writerow(row)
            print(row)
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(), "epoch": 12,
                "channels": CH, "norm_mean": mu, "norm_std": sd}, out / "disruption_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_layout_scrambled"],
           checkpoint="disruption_gru.pt", log="disruption_log.csv",
           what="tokamak disruption GRU, time-major (T, shots, ch) stack reshaped instead of "
                "permuted to (shots, T, ch)",
           complaint="我的托卡马克破裂预测 GRU 什么都学不到：12 个 epoch 后训练 BCE 只从 0.694 "
                     "降到 0.675，验证 BCE 一直停在 0.68 左右，验证 AUC 只有 0.57，准确率 0.555，"
                     "跟全部预测“不破裂”（0.5575）差不多。可是破裂炮的锁模幅度前兆在原始信号里"
                     "明明很清楚。")


if __name__ == "__main__":
    main()
