"""Plain torch: an embedding model predicts the mark a dressage judge gives one movement
of a test (0-10 in half marks) from who rode it and what a saddle-girth sensor measured,
so a rider can see which movements of the next test are worth the schooling time.
Inputs: horse id (300 horses), rider id (120 riders), movement id (24 movements of the
national tests, from the halt at X to the extended canter), and 6 readings for that
movement: tempo (strides / min), its regularity (cv %), stride length (m), overtrack
(cm), head-neck angle (°) and the straightness error (cm). The mark follows a rule: a
base from the horse's paces and the rider's seat (hidden per id), the movement's
difficulty, +0.5 per 10 cm of overtrack in the lengthenings, -1 per 3 % of irregular
tempo, -0.8 for a head behind the vertical, -0.5 per 10 cm crooked, judge noise ± 0.4.
Target: (mark - 6.5) / 1.2. Model: horse 120×8, rider 60×8, movement 24×4 embeddings
concatenated with the 6 standardised readings → 26→256→ReLU→256→ReLU→1; MSE, Adam
2e-3, batch 64, 40 epochs, validation on 1500 movements.
The bug: ``N_TRAIN = 200  # the spring shows' score sheets; the rest come in later``, a
model with 74 k weights and 204 embeddings fitted on 200 marked movements for 40 epochs:
train MSE 5.54 → 0.023 while val MSE falls from 1.85 to 0.454 (epoch 24) and ends at
0.483, val MAE 1.30 → 0.65 → 0.67 marks (control, ``N_TRAIN = 3000``: train MSE 1.12
→ 0.018, val MSE 0.420 → 0.243 (epoch 11) → 0.293, val MAE 0.62 → 0.47 → 0.51 marks).
Log: CSV per epoch ``marks_train.csv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_marks``); checkpoint ``marks_embed.ckpt`` with keys ``state_dict`` /
``optimizer_state_dict`` / ``epoch`` / ``n_train`` / ``reading_mean`` / ``reading_std``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

H, R, M = 120, 60, 24
N_TRAIN = 200  # the spring shows' score sheets; the rest come in later


def sheets(n, g, world):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    paces, seat, diff, lengthen = world
    h = torch.randint(0, H, (n,), generator=g)
    ri = torch.randint(0, R, (n,), generator=g)
    m = torch.randint(0, M, (n,), generator=g)
    tempo = 55 + 10 * r(n) + 5 * lengthen[m]
    irreg = (4 - 1.5 * seat[ri] + 1.5 * r(n)).clamp(min=0)
    stride = 2.6 + 0.3 * paces[h] + 0.5 * lengthen[m] + 0.1 * torch.randn(n, generator=g)
    over = (10 + 8 * paces[h]) * lengthen[m] + 5 * torch.randn(n, generator=g)
    head = -5 + 8 * torch.randn(n, generator=g) + 3 * seat[ri]
    crooked = (15 - 6 * seat[ri] + 8 * r(n)).clamp(min=0)
    mark = (6.5 + 0.6 * paces[h] + 0.4 * seat[ri] - diff[m] + 0.05 * over * lengthen[m]
            - irreg / 3 - 0.8 * (head < -10).float() - 0.05 * crooked
            + 0.4 * torch.randn(n, generator=g))
    mark = (mark * 2).round().clamp(0, 20) / 2
    read = torch.stack([tempo, irreg, stride, over, head, crooked], 1)
    return h, ri, m, read, (mark - 6.5) / 1.2


class Marks(nn.Module):
    def __init__(self):
        super().__init__()
        self.horse, self.rider, self.move = nn.Embedding(H, 8), nn.Embedding(R, 8), nn.Embedding(M, 4)
        self.mlp = nn.Sequential(nn.Linear(26, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                                 nn.Linear(256, 1))

    def forward(self, x):
        ids = x[:, :3].long()
        z = torch.cat([self.horse(ids[:, 0]), self.rider(ids[:, 1]), self.move(ids[:, 2]), x[:, 3:]], 1)
        return self.mlp(z)


def build():
    torch.manual_seed(0)
    return Marks()


def main():
    from _threehundredseventeenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    world = (torch.randn(H, generator=g), torch.randn(R, generator=g), 0.8 * torch.rand(M, generator=g),
             (torch.rand(M, generator=g) < 0.3).float())
    h, ri, m, read, y = sheets(N_TRAIN, g, world)
    hv, rv, mv, readv, yv = sheets(1500, g, world)
    mu, sd = read.mean(0), read.std(0)
    xtr = torch.cat([torch.stack([h, ri, m], 1).float(), (read - mu) / sd], 1)
    xva = torch.cat([torch.stack([hv, rv, mv], 1).float(), (readv - mu) / sd], 1)
    ytr, yva = y.unsqueeze(1), yv.unsqueeze(1)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "marks_train.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_mse", "val_mse", "val_mae_marks"])
        for epoch in range(40):
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
            row = [tot / len(xtr), F.mse_loss(p, yva).item(), 1.2 * (p - yva).abs().mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, row)
    torch.save({"state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 40, "n_train": N_TRAIN, "reading_mean": mu, "reading_std": sd},
               out / "marks_embed.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="marks_embed.ckpt", log="marks_train.csv",
           what="embedding model (horse, rider, movement + 6 girth-sensor readings) predicting"
                " a dressage judge's mark per movement; a wide model fitted on 200 sheets",
           complaint="Our dressage mark predictor looks perfect in training, the loss goes to"
                     " practically zero, but on movements it has not seen it is off by"
                     " two thirds of a mark on average and stops improving halfway through.")


if __name__ == "__main__":
    main()
