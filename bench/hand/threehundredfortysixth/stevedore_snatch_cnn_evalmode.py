"""Plain torch: a 1-D CNN with batch norm flags snatch loads in a quay crane's load-cell
record (kN, 20 samples a second, 6.4 s from the moment the hook starts to rise), so the
stevedoring foreman can pull the gang's slings for inspection. A clean lift takes the weight
smoothly (a ramp of 0.5-1.5 s to the load, 20-350 kN) with a little pendulum ripple; a snatch
load is a sling that was slack or a load that slipped and caught: the force drops and then
overshoots to 1.15-1.45 × the load in a spike of a few tenths of a second before ringing down.
Swinging loads (a larger, slow ripple) and two-stage lifts (the load taken in two steps) are
in the clean class. Input: the raw trace (1, 128) in kN, as the crane's logger writes it; the
first layer of the net is a ``BatchNorm1d(1)`` that scales it. Model: BN(1), Conv1d 1→16 (k7)
+ BN + ReLU + MaxPool2, Conv1d 16→32 (k5) + BN + ReLU + MaxPool2, Conv1d 32→32 (k3) + BN +
ReLU, global max pool, Dropout 0.2, Linear 32→1; BCE with logits, SGD 0.02 (Nesterov momentum
0.9), batch 16, 10 epochs, 1200 lifts (23 % snatch), validation on 300 (17 %);
load-cell noise σ 4 kN.
The bug: a baseline evaluation before the first epoch calls ``evaluate()``, which puts the
model in ``model.eval()``, and the loop never calls ``model.train()``: every batch is trained
with the batch norms on their initial running statistics (mean 0, variance 1) and never
updated, so the raw kN trace goes through unscaled and the first steps blow up: the step
loss is NaN from the first logged step (step 10), val BCE NaN and val accuracy 0.827 (the
clean share, every lift called clean), snatch recall 0.0 every epoch (control,
``model.train()`` at the top of each epoch: val accuracy 0.933 → 0.973, snatch recall 0.96 →
0.85, val BCE 0.164 → 0.078, step loss 0.40 → 0.014).
Log: CSV ``lifts_steps.csv`` every 10 steps (``step`` / ``bce``) and JSON lines per epoch
``lifts_val.jsonl`` (``epoch`` / ``val_bce`` / ``val_acc`` / ``val_recall_snatch``, with
the baseline as epoch 0); checkpoint ``snatch_cnn.pt`` with keys ``net`` / ``sgd`` /
``epoch`` / ``hz`` / ``units``."""
import csv
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

HZ = 20.0
N = 128


def lifts(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(N).float() / HZ
    load = 20 + 330 * r(n, 1) ** 1.4
    t0 = 0.3 + 0.7 * r(n, 1)
    ramp = 0.5 + r(n, 1)
    kind = torch.randint(0, 4, (n,), generator=g)  # 0 clean, 1 swing, 2 two-stage, 3 candidate
    snatch = (kind == 3) & (r(n) < 0.85)
    rise = ((t - t0) / ramp).clamp(0, 1)
    two = (kind == 2).unsqueeze(1)
    rise = torch.where(two, 0.5 * ((t - t0) / ramp).clamp(0, 1)
                       + 0.5 * ((t - t0 - 1.5 - r(n, 1)) / ramp).clamp(0, 1), rise)
    f = load * rise
    period = 2.0 + 2.0 * r(n, 1)
    sway = torch.where((kind == 1).unsqueeze(1), 0.12, 0.03)
    f = f * (1 + sway * rise * torch.sin(2 * math.pi * t / period + 6.28 * r(n, 1)))
    ts = t0 + ramp + 0.3 + 2.0 * r(n, 1)
    peak = 1.15 + 0.3 * r(n, 1)
    dt = t - ts
    spike = torch.where(dt < -0.4, torch.zeros_like(dt),
                        torch.where(dt < 0, -0.3 * (dt + 0.4) / 0.4,
                                    (peak - 1) * torch.exp(-dt / 0.25) * torch.cos(9 * dt)))
    f = f + snatch.float().unsqueeze(1) * load * spike
    f = f + 4.0 * torch.randn(n, N, generator=g)
    return f.unsqueeze(1), snatch.float().unsqueeze(1)


class SnatchCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.BatchNorm1d(1),
            nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU())
        self.drop = nn.Dropout(0.2)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        return self.out(self.drop(self.features(x).amax(-1)))


def build():
    torch.manual_seed(0)
    return SnatchCNN()


def evaluate(model, x, y):
    model.eval()  # frozen batch-norm statistics and no dropout for scoring
    with torch.no_grad():
        logits = model(x)
    pred = (logits > 0).float()
    return {"val_bce": F.binary_cross_entropy_with_logits(logits, y).item(),
            "val_acc": (pred == y).float().mean().item(),
            "val_recall_snatch": pred[y == 1].mean().item()}


def main():
    from _threehundredfortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = lifts(1200, g)
    xva, yva = lifts(300, g)
    print("snatch share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    step = 0
    with open(out / "lifts_steps.csv", "w", newline="") as sf, \
            open(out / "lifts_val.jsonl", "w") as vf:
        steps = csv.writer(sf)
        steps.writerow(["step", "bce"])
        base = evaluate(model, xva, yva)  # untrained baseline
        vf.write(json.dumps({"epoch": 0, **base}) + "\n")
        for epoch in range(1, 11):
            for xb, yb in loader:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    steps.writerow([step, f"{loss.item():.6f}"])
            m = evaluate(model, xva, yva)
            vf.write(json.dumps({"epoch": epoch, **{k: round(v, 6) for k, v in m.items()}}) + "\n")
            print(epoch, {k: round(v, 4) for k, v in m.items()})
    torch.save({"net": model.state_dict(), "sgd": opt.state_dict(), "epoch": 10, "hz": HZ,
                "units": "kN"}, out / "snatch_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="snatch_cnn.pt", log="lifts_val.jsonl",
           what="1-D CNN with batch norm flagging snatch loads in a quay crane's load-cell"
                " record; trained in eval mode after a baseline evaluation",
           complaint="Snatch-load detector for the quay cranes: the loss is nan from the very"
                     " first log line and stays nan. Validation says 82.7% accuracy every epoch"
                     " but it calls every lift clean and has not caught a single snatch.")


if __name__ == "__main__":
    main()
