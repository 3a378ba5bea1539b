"""Plain torch: a residual MLP warns a fuller which faults a piece of woollen cloth will
come out of the fulling stocks with, from the cloth and the recipe, before the piece goes in
(multi-label, 4 faults that can come together): overfulled ("boardy", felted too far),
underfulled (still open and raw), tender (fibre damaged by hot alkaline liquor) and cockled
(uneven, puckered: greasy cloth in a tight sett not scoured by enough fuller's earth). 8
inputs: fibre diameter (µm, 18-32), yarn twist (turns/cm, 2-8), sett (ends/cm, 8-20), soap
(% on weight of cloth, 1-6), fuller's earth (g/kg, 0-60), liquor temperature (°C, 25-45),
hours in the stocks (2-10), liquor pH (8-10.5). The rule behind the faults: a felting dose =
hours × rate, the rate doubling every 10 °C and rising with pH and soap, higher for fine
wool and low twist; too high a dose is boardy, too low raw; fibre damage grows with (pH -
9.3) × (temperature - 30) × hours; cockling with sett and low earth and soap. Each fault is
drawn from a sigmoid of its score (some cloths go either way), so the labels are noisy;
shares 0.40 / 0.19 / 0.31 / 0.64.
Input: (8,) standardised with the train mean / std. Model: Linear 8→64, 3 residual blocks
(LayerNorm → Linear 64→128 → GELU → Linear 128→64, added back), LayerNorm, Linear 64→4; BCE
with logits, AdamW 3e-3 (weight decay 0.01) with OneCycleLR over the run, batch 128, 20
epochs, 3000 pieces, validation on 600.
Healthy; numbers in the README.
Log: one CSV ``fulling_faults.csv`` with a row every 10 steps (``step`` / ``epoch`` / ``lr``
/ ``bce``) and, at the end of each epoch, a row with ``val_bce`` / ``val_macro_f1`` /
``val_f1_tender`` filled in; checkpoint ``faults_resmlp.pt`` with keys ``params`` /
``adamw`` / ``onecycle`` / ``step`` / ``scaler_mean`` / ``scaler_std`` / ``labels``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FAULTS = ["overfulled", "underfulled", "tender", "cockled"]


def pieces(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    micron, twist, sett = 18 + 14 * r(n), 2 + 6 * r(n), 8 + 12 * r(n)
    soap, earth, temp = 1 + 5 * r(n), 60 * r(n), 25 + 20 * r(n)
    hours, ph = 2 + 8 * r(n), 8 + 2.5 * r(n)
    rate = (2 ** ((temp - 35) / 10) * (1 + 0.5 * (ph - 9)) * (0.6 + 0.15 * soap)
            * (25 / micron) ** 2 * (5 / (twist + 2)) ** 0.5)
    dose = torch.log(hours * rate.clamp(min=0.05))
    damage = (ph - 9.3).clamp(min=0) * (temp - 30).clamp(min=0) * hours / 10
    cockle = sett / 4 - earth / 15 - soap / 3
    score = torch.stack([3 * (dose - 2.0), 3 * (0.9 - dose), 2.5 * (damage - 1.0),
                         1.5 * (cockle + 0.4)], 1)
    y = (r(n, 4) < torch.sigmoid(score)).float()
    x = torch.stack([micron, twist, sett, soap, earth, temp, hours, ph], 1)
    return x, y


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.norm, self.fc1, self.fc2 = nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.Linear(2 * d, d)

    def forward(self, x):
        return x + self.fc2(F.gelu(self.fc1(self.norm(x))))


class FaultNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 4))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return FaultNet()


def f1(pred, y):
    tp = (pred * y).sum(0)
    return 2 * tp / (pred.sum(0) + y.sum(0)).clamp(min=1)


def main():
    from _threehundredsixtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = pieces(3000, g)
    rva, yva = pieces(600, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("fault shares", [round(v, 3) for v in ytr.mean(0).tolist()])
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=20 * len(dl))
    step = 0
    with open(out / "fulling_faults.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["step", "epoch", "lr", "bce", "val_bce", "val_macro_f1", "val_f1_tender"])
        for epoch in range(20):
            model.train()
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    log.writerow([step, epoch, f"{sched.get_last_lr()[0]:.6g}",
                                  f"{loss.item():.6f}", "", "", ""])
                sched.step()
                step += 1
            model.eval()
            with torch.no_grad():
                z = model(xva)
            scores = f1((z > 0).float(), yva)
            row = [F.binary_cross_entropy_with_logits(z, yva).item(), scores.mean().item(),
                   scores[2].item()]
            log.writerow([step, epoch, "", ""] + [f"{v:.6f}" for v in row])
            print(epoch, [round(v, 4) for v in row])
    torch.save({"params": model.state_dict(), "adamw": opt.state_dict(),
                "onecycle": sched.state_dict(), "step": step, "scaler_mean": mean,
                "scaler_std": std, "labels": FAULTS}, out / "faults_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="faults_resmlp.pt", log="fulling_faults.csv",
           what="residual MLP, multi-label: which faults a woollen piece will come out of the"
                " fulling stocks with, from cloth and recipe (healthy)")


if __name__ == "__main__":
    main()
