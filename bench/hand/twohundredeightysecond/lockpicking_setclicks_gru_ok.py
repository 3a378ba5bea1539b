"""Plain torch: a GRU says how many of the 5 pin stacks a student has set during one lock
picking attempt on a sensored practice lock, from 40 samples (20 ms apart) of the plug: its rotation
(degrees) and the turning force the student holds on it (N). Each time a pin stack sets at
the shear line the plug gives a small click of rotation and the force dips for a moment;
the click is bigger for pin stacks further back (0.3 + 0.3 * position degrees) because of
the plug's play. Pins set in a random binding order, 0-5 of them per attempt, at random
times; the student's hand wobbles (slow drift in force, 0.05 N jitter) and the rotation
sensor has 0.03 degree scatter; a false click (a driver pin catching, no rotation kept) turns
up on a third of the attempts and must not be counted. 6 classes: 0-5 pins set.
Inputs per sample: rotation change since the previous sample (degrees) and force / 3.
nn.GRU(2, 64, 1 layer, batch_first), last hidden state → linear 64→6, cross-entropy, NAdam
6e-3 with ExponentialLR 0.95 per epoch, 20 epochs, batch 50, 2000 attempts, validation on 500.
Log: a TSV per epoch ``clicks.tsv`` (``epoch`` / ``train_ce`` / ``val_ce`` /
``val_acc`` / ``val_within_one`` / ``lr``); checkpoint ``setpins_gru.pt`` with keys
``model_state`` / ``nadam_state`` / ``scaler`` / ``epoch``.
Healthy; numbers in the README."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 40


def attempts(n, g):
    u = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    x = torch.zeros(n, T, 2)
    y = torch.zeros(n, dtype=torch.long)
    for i in range(n):
        k = int(6 * u(1).item())
        pins = torch.randperm(5, generator=g)[:k]
        times = torch.sort(4 + (32 * u(k)).long()).values
        dr = 0.03 * torch.randn(T, generator=g)
        force = 1.5 + 0.4 * torch.cumsum(0.05 * torch.randn(T, generator=g), 0)
        for p, t in zip(pins.tolist(), times.tolist(), strict=True):
            dr[t] += 0.3 + 0.3 * p
            force[t:t + 2] -= 0.4
        if u(1).item() < 0.33:
            t = 4 + int(32 * u(1).item())
            a = 0.2 + 0.4 * u(1).item()
            dr[t] += a
            dr[t + 2] -= a
        y[i] = k
        x[i, :, 0] = dr
        x[i, :, 1] = (force + 0.05 * torch.randn(T, generator=g)) / 3
    return x, y


class ClickGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(2, 64, batch_first=True)
        self.head = nn.Linear(64, 6)

    def forward(self, x):
        _, h = self.gru(x)
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return ClickGRU()


def main():
    from _twohundredeightysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = attempts(2000, g)
    xva, yva = attempts(500, g)
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=50, shuffle=True)
    model = build()
    opt = torch.optim.NAdam(model.parameters(), lr=6e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.95)
    with open(out / "clicks.tsv", "w") as f:
        f.write("epoch\ttrain_ce\tval_ce\tval_acc\tval_within_one\tlr\n")
        for epoch in range(20):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in loader:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                n += len(yb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                lo = model(xva)
                v = F.cross_entropy(lo, yva).item()
                acc = (lo.argmax(1) == yva).float().mean().item()
                off1 = ((lo.argmax(1) - yva).abs() <= 1).float().mean().item()
            print(epoch, round(tot / n, 4), round(v, 4), round(acc, 4), round(off1, 4))
            f.write(f"{epoch}\t{tot / n:.5f}\t{v:.5f}\t{acc:.4f}\t{off1:.4f}\t{lr:.3e}\n")
    torch.save({"model_state": model.state_dict(), "nadam_state": opt.state_dict(),
                "scaler": {"rotation": 1.0, "force": 3.0}, "epoch": 19}, out / "setpins_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="setpins_gru.pt", log="clicks.tsv",
           what="GRU counting the pin stacks set from a practice lock's plug rotation and"
                " turning force (healthy)")


if __name__ == "__main__":
    main()
