"""Plain torch: a GRU follows how much thread has come off the shuttle while a tatting pattern
is worked, stitch by stitch, so a pattern app can warn before the shuttle runs dry in the
middle of a ring (a join there shows). One sequence = 64 pattern elements, each one step with
5 inputs: a double stitch (1/0), a picot with its length (mm / 10, 0 if none), ring closed
(1/0), the thread size as a diameter (mm, the same the whole way) and the tatter's tension
reading from a glove sensor (around 1, drifting and tightening as she tires). Physics: a
double stitch takes 4.2 thread diameters times the tension off the shuttle thread, a picot
takes twice its length, closing a ring pulls back 3 % of the ring's thread into the core (the
core slides); target: cumulative thread used (cm) after every element, / 50, 0.5 % scatter.
nn.GRU(5, 40, batch_first=True) → linear 40→1 at every step, Huber loss (delta 0.05), Adam
3e-3 with OneCycleLR over 14 epochs, batch 32, 1200 patterns, validation on 300.
Log: TSV per epoch ``shuttle_fit.tsv`` (``epoch`` / ``train_huber`` / ``val_huber`` /
``val_mae_cm`` / ``lr``); checkpoint ``shuttle_gru.ckpt`` with keys ``gru`` / ``adam`` /
``onecycle`` / ``target_cm`` / ``epoch``.
Healthy; numbers in the README."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

STEPS = 64


def patterns(n, g):
    x = torch.zeros(n, STEPS, 5)
    y = torch.zeros(n, STEPS)
    for i in range(n):
        d = [0.55, 0.42, 0.32, 0.22][torch.randint(0, 4, (1,), generator=g).item()]
        tension = 1 + 0.1 * (torch.rand(1, generator=g).item() - 0.5)
        used, ring_used = 0.0, 0.0
        ring_len = torch.randint(6, 14, (1,), generator=g).item()
        k = 0
        for t in range(STEPS):
            tension += 0.004 * torch.randn(1, generator=g).item() - 0.0008
            ds, picot, close = 0.0, 0.0, 0.0
            if k == ring_len:
                close = 1.0
                used -= 0.03 * ring_used
                ring_used, k = 0.0, 0
                ring_len = torch.randint(6, 14, (1,), generator=g).item()
            elif torch.rand(1, generator=g).item() < 0.2:
                picot = 2 + 6 * torch.rand(1, generator=g).item()
                used += 2 * picot / 10
                ring_used += 2 * picot / 10
                k += 1
            else:
                ds = 1.0
                take = 4.2 * d * tension / 10
                used += take
                ring_used += take
                k += 1
            x[i, t] = torch.tensor([ds, picot / 10, close, d, tension])
            y[i, t] = used
    y = y * (1 + 0.005 * torch.randn(n, STEPS, generator=g))
    return x, y / 50


class ShuttleGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 40, batch_first=True)
        self.out = nn.Linear(40, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h).squeeze(-1)


def build():
    torch.manual_seed(0)
    return ShuttleGRU()


def main():
    from _twohundredeightyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patterns(1200, g)
    xva, yva = patterns(300, g)
    print("thread used cm at the end:", 50 * ytr[:, -1].min().item(), 50 * ytr[:, -1].max().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, epochs=14,
                                                steps_per_epoch=len(loader))
    with open(out / "shuttle_fit.tsv", "w") as f:
        f.write("epoch\ttrain_huber\tval_huber\tval_mae_cm\tlr\n")
        for epoch in range(14):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in loader:
                loss = F.huber_loss(model(xb), yb, delta=0.05)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(yb)
                n += len(yb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
                v = F.huber_loss(p, yva, delta=0.05).item()
                mae = 50 * (p - yva).abs().mean().item()
            row = f"{epoch}\t{tot / n:.7f}\t{v:.7f}\t{mae:.4f}\t{sched.get_last_lr()[0]:.6f}"
            print(row)
            f.write(row + "\n")
    torch.save({"gru": model.state_dict(), "adam": opt.state_dict(),
                "onecycle": sched.state_dict(), "target_cm": 50.0, "epoch": 13},
               out / "shuttle_gru.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="shuttle_gru.ckpt", log="shuttle_fit.tsv",
           what="GRU following the thread used off a tatting shuttle stitch by stitch (healthy)")


if __name__ == "__main__":
    main()
