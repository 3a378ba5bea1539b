"""Plain torch: an autoencoder learns the shape of a peg-maker's turned dolly-peg blanks, so
that a blank whose profile it cannot rebuild can be pulled off the line. A laser gauge reads
the blank's diameter at 40 points along its 110 mm: a round knob head, a neck groove, a
swelling shoulder and the two legs tapering to the foot, with the slot starting partway.
Each blank differs in head size, neck position and depth, shoulder, taper and overall length
(the lathe's stop drifts), with a little chatter from the gouge and gauge noise (0.03 mm).
Input and output: 40 diameters in mm, minus 14, / 4. Model: Linear 40→32 + Tanh, Linear
32→5 (the code), Linear 5→32 + Tanh, Linear 32→40; MSE; AdamW 3e-3 (weight decay 1e-4)
with OneCycleLR, batch 128, 30 epochs, 3000 blanks, validation on 600.
Healthy; numbers in the README.
Log: JSON lines, one per epoch, ``blank_ae.jsonl`` (``epoch`` / ``lr`` / ``train_rmse_mm``
/ ``val_rmse_mm`` / ``val_worst_point_mm``); checkpoint ``blank_ae.pth`` with keys
``autoencoder`` / ``opt`` / ``onecycle`` / ``epoch`` / ``points`` / ``mm_offset_scale``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

P = 40


def blanks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    length = 106 + 8 * r(n, 1)
    z = torch.linspace(0, 110, P).view(1, P)
    head_r = 9 + 2 * r(n, 1)
    head_c = 8 + r(n, 1)
    neck_z = 17 + 3 * r(n, 1)
    neck_d = 2 + 1.5 * r(n, 1)
    shoulder = 17 + 2 * r(n, 1)
    taper = 0.04 + 0.04 * r(n, 1)
    head = 2 * torch.sqrt((head_r ** 2 - (z - head_c) ** 2).clamp(0))
    body = shoulder - taper * (z - neck_z).clamp(0) - neck_d * torch.exp(-((z - neck_z) / 2.5) ** 2)
    d = torch.maximum(head, body * (z > head_c).float())
    d = d * (z < length).float()  # past the foot the gauge reads nothing
    d = d + 0.15 * torch.sin(z * (1.5 + r(n, 1))) * r(n, 1) + 0.03 * torch.randn(n, P, generator=g)
    return (d - 14) / 4


class BlankAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(P, 32), nn.Tanh(), nn.Linear(32, 5))
        self.dec = nn.Sequential(nn.Linear(5, 32), nn.Tanh(), nn.Linear(32, P))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return BlankAE()


def main():
    from _threehundredseventyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = blanks(3000, g), blanks(600, g)
    print("profile var", xtr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, xtr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=30 * len(dl))
    with open(out / "blank_ae.jsonl", "w") as f:
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                err = (model(xva) - xva) * 4
            rec = {"epoch": epoch, "lr": opt.param_groups[0]["lr"],
                   "train_rmse_mm": 4 * (tot / len(xtr)) ** 0.5,
                   "val_rmse_mm": err.pow(2).mean().sqrt().item(),
                   "val_worst_point_mm": err.abs().max().item()}
            f.write(json.dumps(rec) + "\n")
            print({k: round(v, 5) for k, v in rec.items()})
    torch.save({"autoencoder": model.state_dict(), "opt": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": 30, "points": P,
                "mm_offset_scale": (14.0, 4.0)}, out / "blank_ae.pth")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="blank_ae.pth",
           log="blank_ae.jsonl",
           what="autoencoder of a peg-maker's turned dolly-peg blank profiles (healthy)")


if __name__ == "__main__":
    main()
