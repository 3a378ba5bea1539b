"""Plain torch: a residual MLP gives a survey chainman the correction for one bay of a steel
band, so the booker can write the horizontal length without the four formulas. 7 inputs:
taped slope length (5-30 m), air temperature (-10 to 40 °C), pull on the spring balance
(40-180 N), height difference from the level (-3 to 3 m), number of equal spans the band
hangs in (1-4; 0 when it lies on the ground), the band's weight (0.15-0.45 N/m) and its
section (2-4 mm²). Correction (mm) = temperature 11.6e-6 (T - 20) L + tension (P - 50) L /
(A E) - sag n w² l³ / (24 P²) over the n spans of length l - slope h² / (2 L), with
±0.5 mm of field noise.
Input: (7,) standardised with the train mean / std. Target: correction / 50 mm. Model:
Linear 7→96, 3 residual blocks (x + Linear(GELU(Linear(LayerNorm(x))))), LayerNorm,
Linear 96→1; MSE, SGD Nesterov momentum 0.9 with OneCycleLR (max 0.02, per step),
batch 128, 24 epochs, 3072 bays, validation on 768.
Healthy; numbers in the README.
Log: JSON lines ``tape_fit.jsonl`` per epoch (``epoch`` / ``lr`` / ``loss`` / ``val_loss``
/ ``val_mae_mm``); checkpoint ``tape_resmlp.pth`` with keys ``weights`` / ``opt_state`` /
``sched_state`` / ``epoch`` / ``norm`` (mean, std, mm per unit)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def bays(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length = 5 + 25 * r(n)
    temp = -10 + 50 * r(n)
    pull = 40 + 140 * r(n)
    dh = -3 + 6 * r(n)
    spans = torch.randint(0, 5, (n,), generator=g).float()
    w = 0.15 + 0.3 * r(n)
    area = 2 + 2 * r(n)
    span_len = length / spans.clamp(min=1)
    corr = (11.6e-6 * (temp - 20) * length + (pull - 50) * length / (area * 1e-6 * 2e11)
            - spans * w ** 2 * span_len ** 3 / (24 * pull ** 2) - dh ** 2 / (2 * length))
    mm = corr * 1000 + 0.5 * torch.randn(n, generator=g)
    return torch.stack([length, temp, pull, dh, spans, w, area], 1), mm


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm, self.fc1, self.fc2 = nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.Linear(2 * d, d)

    def forward(self, x):
        return x + self.fc2(F.gelu(self.fc1(self.norm(x))))


class BayNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(7, 96)
        self.blocks = nn.Sequential(Block(96), Block(96), Block(96))
        self.out = nn.Sequential(nn.LayerNorm(96), nn.Linear(96, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return BayNet()


def main():
    from _fourhundredthirteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, mtr = bays(3072, g)
    fva, mva = bays(768, g)
    mean, std = ftr.mean(0), ftr.std(0)
    xtr, xva = (ftr - mean) / std, (fva - mean) / std
    ytr, yva = (mtr / 50).unsqueeze(1), (mva / 50).unsqueeze(1)
    print("correction mm", mtr.min().item(), mtr.std().item(), mtr.max().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.02, total_steps=24 * len(dl))
    with open(out / "tape_fit.jsonl", "w") as log:
        for epoch in range(24):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            rec = {"epoch": epoch, "lr": round(sched.get_last_lr()[0], 7),
                   "loss": round(tot / len(xtr), 6),
                   "val_loss": round(F.mse_loss(p, yva).item(), 6),
                   "val_mae_mm": round(((p - yva).abs() * 50).mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 24,
                "norm": {"mean": mean, "std": std, "mm_per_unit": 50.0}}, out / "tape_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="tape_resmlp.pth",
           log="tape_fit.jsonl",
           what="residual MLP giving the taping correction of one bay of a surveyor's steel"
                " band (healthy)")


if __name__ == "__main__":
    main()
