"""Plain torch: a 1-D CNN inspects rope as it comes off the laying machine at a ropewalk. A
gauge head reads three traces along 128 cm of rope (diameter, lay angle, strand tension) and the
rope is graded sound, hockle (a kink: a short sharp jump in lay angle with a diameter bulge),
slack strand (one strand laid loose: a bulge that repeats every lay length, 11–14 cm, with low
tension) or thin spot (a stretch 10–25 cm long where the diameter dips and the tension rises).
Each trace has slow drift and gauge noise; the defect sits at a random place. Conv1d(3→24, k7)
-ReLU-pool, Conv1d(24→48, k5)-ReLU-pool, Conv1d(48→48, k3)-ReLU, global max + mean pool,
Linear(96→4); Adam 2e-3, batch 32, 8 epochs of 1024 traces, shuffled. A TSV row every 16
steps (``step``, ``loss`` = mean of those 16, ``val_loss``, ``val_acc``); checkpoint ``net`` /
``opt`` / ``step`` / ``epoch``.
The bug: each conv block was written as conv → ReLU → ``nn.Dropout(0.5)``, the dropout rate
copied from a fully-connected classifier, so half of every feature map is zeroed in training.
Val accuracy per epoch 0.66, 0.52, 0.75, 0.77, 0.895, 0.90, 0.94, 0.94; val loss 0.98 →
0.36, the (dropout-noisy) train loss 0.86 → 0.15, so val loss ends 2.4× the train loss.
Control (``nn.Identity()`` in place of the three conv dropouts): val accuracy 0.68, 0.895, 0.96,
0.95, 0.98, 0.98, 0.97, 0.97; val loss 0.75 → 0.074 at epoch 7, 0.127 at 8; train 0.034."""
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

N = 128


def ropes(n, g):
    pos = torch.arange(N).float()
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.zeros(n, 3, N)
    drift = F.interpolate(torch.randn(n, 3, 5, generator=g), size=N, mode="linear",
                          align_corners=True) * 0.3
    x += drift + 0.25 * torch.randn(n, 3, N, generator=g)
    for i in range(n):
        c = float(torch.randint(15, N - 15, (1,), generator=g))
        k = int(y[i])
        if k == 1:  # hockle: short kink
            bump = torch.exp(-((pos - c) / 1.5) ** 2)
            x[i, 1] += 2.0 * bump * torch.sign(pos - c)
            x[i, 0] += 1.0 * bump
        elif k == 2:  # slack strand: periodic bulge, low tension
            lay = 11 + 3 * float(torch.rand(1, generator=g))
            ph = float(torch.rand(1, generator=g)) * lay
            x[i, 0] += 0.8 * torch.relu(torch.cos(2 * torch.pi * (pos - ph) / lay)) ** 4
            x[i, 2] -= 0.5
        elif k == 3:  # thin spot
            w = 5 + 7 * float(torch.rand(1, generator=g))
            dip = torch.sigmoid((pos - c + w) * 1.5) * torch.sigmoid((c + w - pos) * 1.5)
            x[i, 0] -= 0.9 * dip
            x[i, 2] += 0.7 * dip
    return x, y


class LayInspector(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv1d(3, 24, 7, padding=3), nn.ReLU(), nn.Dropout(0.5), nn.MaxPool1d(2),
            nn.Conv1d(24, 48, 5, padding=2), nn.ReLU(), nn.Dropout(0.5), nn.MaxPool1d(2),
            nn.Conv1d(48, 48, 3, padding=1), nn.ReLU(), nn.Dropout(0.5))
        self.head = nn.Linear(96, 4)

    def forward(self, x):
        f = self.body(x)
        return self.head(torch.cat([f.amax(2), f.mean(2)], 1))


def build():
    torch.manual_seed(0)
    return LayInspector()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = ropes(1024, g)
    xva, yva = ropes(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    lines, run, step = ["step\tloss\tval_loss\tval_acc"], [], 0
    for epoch in range(8):
        perm = torch.randperm(1024, generator=g)
        for i in range(0, 1024, 32):
            model.train()
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            run.append(loss.item())
            step += 1
            if step % 16 == 0:
                model.eval()
                with torch.no_grad():
                    lv = model(xva)
                    vl = F.cross_entropy(lv, yva).item()
                    va = (lv.argmax(1) == yva).float().mean().item()
                lines.append(f"{step}\t{sum(run) / len(run):.4f}\t{vl:.4f}\t{va:.4f}")
                run = []
        print(epoch, lines[-1])
    (out / "lay_inspect.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "step": step, "epoch": 8},
               out / "lay_inspector.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dropout_in_conv"],
           checkpoint="lay_inspector.pt", log="lay_inspect.tsv",
           what="ropewalk rope-trace 1-D CNN defect grader with Dropout(0.5) after every conv",
           complaint=("1-D CNN that grades rope off our laying machine from the gauge traces "
                      "(diameter, lay angle, tension), 4 grades. It learns very unevenly: val "
                      "accuracy went 0.66 after the first epoch, then down to 0.52, and only "
                      "reached 0.94 after 8 epochs, with the val loss still 0.36 while the "
                      "training loss is 0.15. The hockles and thin spots are obvious on the "
                      "traces, a person sorts these almost perfectly. Is the network too small, "
                      "or do we need far more rope samples?"))


if __name__ == "__main__":
    main()
