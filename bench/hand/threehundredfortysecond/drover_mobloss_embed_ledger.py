"""Plain torch: an embedding model predicts how much weight a mob of store cattle loses per
head on a droving trip, from a stock agent's ledger of past drives, so a buyer can price a
mob at the far end. Each drive: the stock route (24 routes), the head drover (30 drovers),
the breed (5), the month it set out (12), and distance (150-600 km), mob size (300-2000
head), dry camps on the way (0-10) and days on the road. Loss rule: about 0.045 kg per km,
scaled by breed (Brahman-cross 0.8 to British breeds 1.2) and by season (worst in the late
dry, Sep-Nov), 2.5 kg per dry camp, 3 kg per 1000 head of crowding, more when the mob is
pushed (km per day above 12), a feed quality per route (±4 kg) and a skill per drover
(±3 kg); scale and weigh-bridge noise about 3 kg.
Input: four id columns (long) and four numbers standardised with the train mean / std, sent
as one (8,) float row (ids as floats, cast back in ``forward``). Target: (kg lost - 25) / 10.
Model: Embedding route 24×16, drover 30×16, breed 5×4, month 12×4, concatenated with the
numbers (44), Linear 44→256, ReLU, Linear 256→256, ReLU, Linear 256→1; MSE, Adam 2e-3,
batch 32, 60 epochs, 1200 drives digitised from the ledger, split into train and validation.
The bug: ``n_val = int(0.875 * len(kg))`` puts the split the wrong way round: 1050 drives
are held out and the 256-wide net with its route and drover embeddings trains on the last
150, which it learns by heart: train MSE 2.09 → 0.00006, val MSE 1.50 → 0.502 at epoch 10
→ 0.508 at the end, MAE 5.63 kg (noise floor 0.16, 4 kg) (control, ``int(0.125 *
len(kg))``, 1050 train drives, 150 val: train MSE 0.98 → 0.0072, val MSE 0.405 → 0.246 at
epoch 5 → 0.301, MAE 4.32 kg).
Log: JSON lines, one per epoch ``drives_log.jsonl`` (``epoch`` / ``mse`` / ``val_mse`` /
``val_mae_kg``); checkpoint ``mob_loss_embed.pt`` with keys ``net_state`` / ``adam_state`` /
``epochs`` / ``num_mean`` / ``num_std`` / ``kg_center_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

EPOCHS = 60


def ledger(n, g, world):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    route = torch.randint(0, 24, (n,), generator=g)
    drover = torch.randint(0, 30, (n,), generator=g)
    breed = torch.randint(0, 5, (n,), generator=g)
    month = torch.randint(0, 12, (n,), generator=g)
    km = 150 + 450 * r(n)
    head = 300 + 1700 * r(n)
    dry = torch.randint(0, 11, (n,), generator=g).float()
    days = km / (9 + 6 * r(n))
    bfac = torch.tensor([0.8, 0.9, 1.0, 1.1, 1.2])[breed]
    sfac = 1 + 0.35 * torch.exp(-((month.float() - 9) / 1.5) ** 2)
    pushed = (km / days - 12).clamp(min=0)
    kg = (0.045 * km * bfac * sfac + 2.5 * dry + 3 * head / 1000 + 2.0 * pushed
          + world["route"][route] + world["drover"][drover])
    kg = kg + 4 * torch.randn(n, generator=g)
    num = torch.stack([km, head, dry, days], 1)
    ids = torch.stack([route, drover, breed, month], 1).float()
    return ids, num, kg


class MobLoss(nn.Module):
    def __init__(self):
        super().__init__()
        self.route, self.drover = nn.Embedding(24, 16), nn.Embedding(30, 16)
        self.breed, self.month = nn.Embedding(5, 4), nn.Embedding(12, 4)
        self.mlp = nn.Sequential(nn.Linear(44, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                                 nn.Linear(256, 1))

    def forward(self, x):
        ids, num = x[:, :4].long(), x[:, 4:]
        h = torch.cat([self.route(ids[:, 0]), self.drover(ids[:, 1]), self.breed(ids[:, 2]),
                       self.month(ids[:, 3]), num], 1)
        return self.mlp(h)


def build():
    torch.manual_seed(0)
    return MobLoss()


def main():
    from _threehundredfortysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    world = {"route": 4 * (2 * torch.rand(24, generator=g) - 1),
             "drover": 3 * (2 * torch.rand(30, generator=g) - 1)}
    ids, num, kg = ledger(1200, g, world)  # the drives digitised from the ledger so far
    n_val = int(0.875 * len(kg))  # hold out some drives for checking
    itr, ntr, ktr = ids[n_val:], num[n_val:], kg[n_val:]
    iva, nva, kva = ids[:n_val], num[:n_val], kg[:n_val]
    mu, sd = ntr.mean(0), ntr.std(0)
    xtr = torch.cat([itr, (ntr - mu) / sd], 1)
    xva = torch.cat([iva, (nva - mu) / sd], 1)
    ytr, yva = ((ktr - 25) / 10).unsqueeze(1), ((kva - 25) / 10).unsqueeze(1)
    print("kg lost", ktr.min().item(), ktr.max().item(), "target var", ytr.var().item(), len(ktr), len(kva))
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "drives_log.jsonl", "w") as log:
        for epoch in range(EPOCHS):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            rec = {"epoch": epoch, "mse": round(tot / len(xtr), 6),
                   "val_mse": round(F.mse_loss(p, yva).item(), 6),
                   "val_mae_kg": round(10 * (p - yva).abs().mean().item(), 4)}
            log.write(json.dumps(rec) + "\n")
            if epoch % 5 == 0 or epoch == EPOCHS - 1:
                print(rec)
    torch.save({"net_state": model.state_dict(), "adam_state": opt.state_dict(),
                "epochs": EPOCHS, "num_mean": mu, "num_std": sd, "kg_center_scale": (25.0, 10.0)},
               out / "mob_loss_embed.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="mob_loss_embed.pt", log="drives_log.jsonl",
           what="embedding model predicting the weight a drover's mob loses per head on a drive;"
                " train / validation fractions swapped, 150 drives to train a 256-wide net",
           complaint="My model of how much weight a mob loses on the road fits the training"
                     " drives perfectly, MSE 0.00006 after 20 epochs, but on the drives I kept"
                     " aside it is stuck at 0.51, about 5.6 kg a head off when the losses run"
                     " 10-70 kg. It stops improving on validation by epoch 10 and more epochs"
                     " change nothing. Why does it do so badly on drives it has not seen?")


if __name__ == "__main__":
    main()
