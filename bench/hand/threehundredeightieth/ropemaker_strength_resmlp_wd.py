"""Plain torch: a residual MLP predicts the breaking load (kN) of a new three- or four-strand
rope from the rope-maker's walk sheet, so the ropewalk can print a safe working load on the
tag before a sample is pulled on the test bench. Inputs: fibre (manila, sisal, hemp, nylon,
polyester; one-hot), diameter 10-28 mm, strands (3 or 4), lay (surface twist angle 30-45°,
hard lay weaker), yarn moisture at laying (%), and rope age in store (years). The load
follows the rope-maker's rule of thumb, fibre constant × d² (kN, d in mm), times a lay
factor (1 - 0.012 × (angle - 30)), 0.92 for four strands, minus 3 % a year in store and 1.5 %
per point of moisture over 12 %, with 4 % test-bench scatter. Input: (10,) with the numeric
columns standardised with the train mean / std; target: breaking load in kN as is (4-150).
Model: Linear 10→64, 3 pre-LayerNorm residual blocks (LN, 64→64, GELU, 64→64), LN,
Linear 64→1; MSE, AdamW 3e-3 with weight decay 0.5 on every parameter, CosineAnnealingLR,
batch 64, 40 epochs, 1600 ropes, validation on 400.
The bug: ``AdamW(model.parameters(), ..., weight_decay=0.5)`` decays the biases and the
LayerNorm gains and shifts along with the weight matrices, so the gains and shifts that
carry the kN scale into the output are pulled towards 0 / 1 every step: val MSE 1294 → 50.1
kN² at the end, val MAE 2.63 kN, 22.1 kN on ropes over 80 kN, train MSE 25.1 at step 1000
(control, the 1-D parameters in a group with weight decay 0: val MSE 1278 → 18.4 kN², MAE
1.72 kN, 10.9 kN on ropes over 80 kN, train MSE 7.2).
Log: TSV every 10 steps ``walk_steps.tsv`` (``step`` / ``mse``) and a per-epoch TSV
``walk_val.tsv`` (``epoch`` / ``lr`` / ``val_mse`` / ``val_mae_kn`` / ``val_mae_kn_heavy``);
checkpoint ``ropewalk_resmlp.ckpt`` with keys ``params`` / ``adamw`` / ``cosine`` / ``epoch``
/ ``num_mean`` / ``num_std`` / ``fibres``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FIBRES = ["manila", "sisal", "hemp", "nylon", "polyester"]
K = torch.tensor([0.075, 0.060, 0.068, 0.175, 0.140])  # kN per mm² of d²


def walk_sheets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    fibre = torch.randint(0, 5, (n,), generator=g)
    d = 10 + 18 * r(n)
    four = (r(n) < 0.35).float()
    angle = 30 + 15 * r(n)
    moist = 8 + 10 * r(n)
    age = 6 * r(n) ** 2
    load = K[fibre] * d ** 2 * (1 - 0.012 * (angle - 30)) * (1 - 0.08 * four)
    load = load * (1 - 0.03 * age) * (1 - 0.015 * (moist - 12).clamp(min=0))
    load = load * (1 + 0.04 * torch.randn(n, generator=g))
    num = torch.stack([d, four, angle, moist, age], 1)
    return F.one_hot(fibre, 5).float(), num, load.unsqueeze(1)


class Block(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.ln, self.fc1, self.fc2 = nn.LayerNorm(w), nn.Linear(w, w), nn.Linear(w, w)

    def forward(self, x):
        return x + self.fc2(F.gelu(self.fc1(self.ln(x))))


class RopeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(10, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.norm, self.out = nn.LayerNorm(64), nn.Linear(64, 1)

    def forward(self, x):
        return self.out(self.norm(self.blocks(self.inp(x))))


def build():
    torch.manual_seed(0)
    return RopeNet()


def main():
    from _threehundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, ntr, ytr = walk_sheets(1600, g)
    fva, nva, yva = walk_sheets(400, g)
    mu, sd = ntr.mean(0), ntr.std(0)
    xtr = torch.cat([ftr, (ntr - mu) / sd], 1)
    xva = torch.cat([fva, (nva - mu) / sd], 1)
    print("load kN mean / std", ytr.mean().item(), ytr.std().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.5)  # strong decay, only 1600 ropes
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=40)
    heavy = yva[:, 0] > 80
    step = 0
    with open(out / "walk_steps.tsv", "w") as fs, open(out / "walk_val.tsv", "w") as fv:
        fs.write("step\tmse\n")
        fv.write("epoch\tlr\tval_mse\tval_mae_kn\tval_mae_kn_heavy\n")
        for epoch in range(40):
            model.train()
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0:
                    fs.write(f"{step}\t{loss.item():.6g}\n")
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva)
            err = (p - yva).abs()[:, 0]
            row = [F.mse_loss(p, yva).item(), err.mean().item(), err[heavy].mean().item()]
            fv.write(f"{epoch}\t{lr:.6g}\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, [round(v, 3) for v in row])
    torch.save({"params": model.state_dict(), "adamw": opt.state_dict(),
                "cosine": sched.state_dict(), "epoch": 40, "num_mean": mu, "num_std": sd,
                "fibres": FIBRES}, out / "ropewalk_resmlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["weight_decay_on_bias"],
           checkpoint="ropewalk_resmlp.ckpt", log="walk_val.tsv",
           what="residual MLP predicting a rope's breaking load in kN from the ropewalk sheet;"
                " AdamW weight decay 0.1 on every parameter, biases and LayerNorm included",
           complaint="Rope breaking-load regressor (kN, residual MLP): val MSE stalls around 50 kN²"
                     " while the same data should do far better; on the heavy nylon ropes over 80 kN"
                     " it is off by 22 kN on average, and the train loss is stuck near 25 as well.")


if __name__ == "__main__":
    main()
