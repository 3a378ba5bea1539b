"""Plain torch: a 1-D CNN without batch norm reads a pig's live weight off the load-cell trace
of a walk-over scale in the passage between a swineherdess's finishing pens and the feeding
yard, so she needs no crate weighing. Each pass is 96 samples at 20 Hz: the pig steps on
front feet first (about 45 % of its weight), then all four (the plateau, 1.5-3 s), then
leaves by the front; the pig's gait makes the reading bounce (1.5-2.5 Hz, 4-10 % of the
weight), a pig that stops on the platform gives a long flat plateau, one that trots a short
one, and a following pig sometimes nudges the end of the trace. Cell noise 0.6 kg. Weights
25-125 kg (growers to finishers).
Input: (1, 96) load in kg / 100. Target: (weight - 75) / 25, the pen average taken off.
Model: Conv1d 1→16 (k7) + ReLU, Conv1d 16→32 (k5, stride 2) + ReLU, Conv1d 32→32 (k5) +
ReLU, global average pool, Linear 32→1; MSE, SGD 0.03 with Nesterov momentum 0.9 and
cosine decay per epoch, batch 40, 25 epochs, 2000 passes, validation on 500.
The bug: the model is built with ``bias=False`` in every layer (the constructor's default),
head included, so the net is positively homogeneous in the load (an empty platform reads
0) and cannot put out the -3 that a 0 kg pig would need; it can't fit (weight - 75) / 25 at
all: val MSE 1.063 → 1.061 (target variance 1.36) flat for 25 epochs, val MAE 21.6 → 21.5 kg,
43.8 kg on growers under 45 kg (control, ``bias=True``: val MSE 1.22 → 0.0296, MAE 23.7 →
3.3 kg, 2.6 kg on growers).
Log: TSV every 10 steps ``scale_steps.tsv`` (``step`` / ``lr`` / ``mse``) and a separate
per-epoch TSV ``scale_val.tsv`` (``epoch`` / ``val_mse`` / ``val_mae_kg`` /
``val_mae_kg_growers``, named as the log in the truth); checkpoint ``walkover_cnn.ckpt`` with
keys ``state`` / ``opt`` / ``sched`` / ``epoch`` / ``load_scale_kg`` / ``weight_center_scale``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 96


def passes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    w = 25 + 100 * r(n, 1)
    t = torch.arange(T).float().unsqueeze(0)
    on = 8 + 16 * r(n, 1)
    front = 6 + 6 * r(n, 1)
    dwell = 30 + 30 * r(n, 1)
    off = on + front + dwell
    ramp = lambda a: torch.sigmoid((t - a) / 1.2)  # noqa: E731
    load = w * (0.45 * ramp(on) + 0.55 * ramp(on + front) - 0.55 * ramp(off)
                - 0.45 * ramp(off + front))
    f = 1.5 + r(n, 1)
    bounce = (0.04 + 0.06 * r(n, 1)) * w * torch.sin(2 * math.pi * f * t / 20 + 6.3 * r(n, 1))
    load = load + bounce * (ramp(on) - ramp(off + front))
    nudge = (r(n, 1) < 0.2) * 20 * r(n, 1) * ramp(off + front + 4)
    load = load + nudge + 0.6 * torch.randn(n, T, generator=g)
    return (load / 100).unsqueeze(1), (w - 75) / 25


class WalkOverCNN(nn.Module):
    def __init__(self, width=32, bias=False):  # ReLU right after each layer, bias not needed
        super().__init__()
        self.c1 = nn.Conv1d(1, 16, 7, padding=3, bias=bias)
        self.c2 = nn.Conv1d(16, width, 5, stride=2, padding=2, bias=bias)
        self.c3 = nn.Conv1d(width, width, 5, padding=2, bias=bias)
        self.head = nn.Linear(width, 1, bias=bias)

    def forward(self, x):
        x = F.relu(self.c3(F.relu(self.c2(F.relu(self.c1(x))))))
        return self.head(x.mean(2))


def build():
    torch.manual_seed(0)
    return WalkOverCNN()


def main():
    from _threehundredeightyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = passes(2000, g)
    xva, yva = passes(500, g)
    print("target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=25)
    step = 0
    with open(out / "scale_steps.tsv", "w") as fs, open(out / "scale_val.tsv", "w") as fv:
        fs.write("step\tlr\tmse\n")
        fv.write("epoch\tval_mse\tval_mae_kg\tval_mae_kg_growers\n")
        for epoch in range(25):
            model.train()
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    fs.write(f"{step}\t{sched.get_last_lr()[0]:.6g}\t{loss.item():.6f}\n")
                step += 1
            sched.step()
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            err = 25 * (pv - yva).abs()
            small = yva < -1.2  # growers under 45 kg
            row = [F.mse_loss(pv, yva).item(), err.mean().item(), err[small].mean().item()]
            fv.write(f"{epoch}\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"state": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                "epoch": 25, "load_scale_kg": 100.0, "weight_center_scale": (75.0, 25.0)},
               out / "walkover_cnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["missing_bias"],
           checkpoint="walkover_cnn.ckpt", log="scale_val.tsv",
           what="1-D CNN without batch norm reading a pig's weight off a walk-over scale's"
                " load-cell trace; every layer built with bias=False",
           complaint="The walk-over scale CNN doesn't learn anything: val MSE is 1.06 in"
                     " epoch 1 and 1.06 in epoch 25, the mean error stays at 21.5 kg and for"
                     " the growers under 45 kg it is off by 44 kg. The training loss is just"
                     " as flat. Pigs are 25-125 kg, 2000 passes, SGD with Nesterov.")


if __name__ == "__main__":
    main()
