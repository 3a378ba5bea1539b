"""Plain torch: an MLP tells an astrologer which of the five naked-eye planets are retrograde
(moving backwards against the zodiac) on a given day, from the almanac's elongations alone:
each planet's angle from the Sun today and seven days ago (as sine / cosine, 20 inputs).
Truth from circular heliocentric orbits (Mercury 0.387 AU / 87.97 d, Venus 0.723 / 224.7,
Earth 1 / 365.25, Mars 1.524 / 687.0, Jupiter 5.203 / 4332.6, Saturn 9.537 / 10759): a planet
is retrograde when its geocentric longitude falls from one day to the next (Mercury about
20 % of days, Venus 7 %, Mars 10 %, Jupiter 30 %, Saturn 36 %); the almanac rounds to about
0.3°. Days drawn at random over 60 years.
Model: 20→128→ReLU→128→ReLU→5; multi-label BCE with logits, Adam, batch 128, 20 epochs,
4000 days, validation on 1000.
The bug: the learning rate is ``lr=2e-6`` (copied from a fine-tuning recipe); the net stays
near where it started: val BCE 0.688 → 0.673 in a slow straight line, val exact match (all
five flags right) 0.002 → 0.097, retrograde recall 0.28 → 0.15 (control, ``lr=2e-3``: val BCE
0.273 → 0.030, exact match 0.633 → 0.959, retrograde recall 0.61 → 0.97).
Log: CSV every 8 steps ``retro_steps.csv`` (``step`` / ``bce``) and a per-epoch CSV
``retro_epochs.csv`` (``epoch`` / ``train_bce`` / ``val_bce`` / ``val_exact_match`` /
``val_recall_retro``, named as the log in the truth); checkpoint ``retro_mlp.ckpt`` with keys
``model_state`` / ``opt_state`` / ``epochs_done`` / ``planets``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

PLANETS = ["mercury", "venus", "mars", "jupiter", "saturn"]
A = torch.tensor([0.387, 0.723, 1.524, 5.203, 9.537])
PERIOD = torch.tensor([87.97, 224.70, 686.98, 4332.6, 10759.0])
START = 2 * math.pi * torch.tensor([0.70, 0.21, 0.96, 0.09, 0.14])  # heliocentric, day 0


def geocentric(t):
    """Geocentric longitude of each planet and of the Sun (radians) on days t."""
    th = START + 2 * math.pi * t.unsqueeze(1) / PERIOD
    te = 2 * math.pi * t.unsqueeze(1) / 365.25
    dx = A * torch.cos(th) - torch.cos(te)
    dy = A * torch.sin(th) - torch.sin(te)
    return torch.atan2(dy, dx), te + math.pi


def almanac(n, g):
    t = 365.25 * 60 * torch.rand(n, generator=g, dtype=torch.float64)
    feats = []
    for back in (0.0, 7.0):
        lam, sun = geocentric(t - back)
        elong = lam - sun + math.radians(0.3) * torch.randn(n, 5, generator=g, dtype=torch.float64)
        feats += [torch.sin(elong), torch.cos(elong)]
    ahead, behind = geocentric(t + 0.5)[0], geocentric(t - 0.5)[0]
    step = torch.remainder(ahead - behind + math.pi, 2 * math.pi) - math.pi
    return torch.cat(feats, 1).float(), (step < 0).float()


class RetroMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                                 nn.Linear(128, 5))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return RetroMLP()


def main():
    from _threehundredfiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = almanac(4000, g)
    xva, yva = almanac(1000, g)
    print("retrograde share", [round(v, 3) for v in ytr.mean(0).tolist()])
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-6)  # same rate as the fine-tuning recipe
    step = 0
    with open(out / "retro_steps.csv", "w") as slog, open(out / "retro_epochs.csv", "w") as elog:
        slog.write("step,bce\n")
        elog.write("epoch,train_bce,val_bce,val_exact_match,val_recall_retro\n")
        for epoch in range(20):
            model.train()
            total = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 8 == 0:
                    slog.write(f"{step},{loss.item():.6f}\n")
                step += 1
                total += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = (logits > 0).float()
            row = [total / len(xtr), F.binary_cross_entropy_with_logits(logits, yva).item(),
                   (pred == yva).all(1).float().mean().item(),
                   (pred[yva == 1] == 1).float().mean().item()]
            elog.write(f"{epoch}," + ",".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(),
                "epochs_done": 20, "planets": PLANETS}, out / "retro_mlp.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"],
           checkpoint="retro_mlp.ckpt", log="retro_epochs.csv",
           what="MLP flagging which of five planets are retrograde from their elongations;"
                " Adam at 2e-6",
           complaint="My retrograde classifier for the five planets barely learns anything."
                     " After 20 epochs the validation BCE has only gone from 0.688 to 0.673,"
                     " just 10% of the days get all five flags right, and the share of"
                     " retrograde days it catches went down from 28% to 15%. The training loss"
                     " falls in a straight line, but very slowly. Is a 2-layer MLP too small"
                     " for planetary motion?")


if __name__ == "__main__":
    main()
