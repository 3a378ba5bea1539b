"""Plain torch: a 1-D CNN with batch norm flags slubs in a carding machine's sliver: the
delivery sensor weighs the sliver every 2 cm, and a loaded flat or a lap-up on the doffer lets
a lump of fibre through, a thick place 4-10 cm long that will break ends at the spinning frame.
A window is 128 readings (2.56 m of sliver): the ordinary drafting waves (three slow random
waves), the autoleveller's drift, sensor noise (0.6 %), and a bump at a random place whose
height runs from nothing to 14 %; the card tenter pulls the can when the bump is over 6 % of
the sliver weight (the mill's rule), so the class border falls inside the data. Input:
(1, 128) sliver weight in % deviation from the nominal 5 ktex. Model: Conv1d 1→16 (k7) + BN +
ReLU + MaxPool2, 16→32 (k7) + BN + ReLU + MaxPool2, 32→32 (k5) + BN + ReLU, global max pool,
Linear 32→1 (one logit, slub); BCE-with-logits, SGD 0.01 (momentum 0.9, nesterov), batch 48,
14 epochs, 1920 windows, validation on 480 (in batches of 240). Training windows are augmented
(random circular shift, reversal, gain 0.9-1.1, extra noise, and a 24-reading stretch zeroed
as a sensor dropout).
The bug: the validation set is built with ``SliverWindows(xva, yva, augment=True)``, so every
validation window is shifted, flipped, rescaled, noised and has a stretch zeroed afresh each
epoch, as training windows do; the dropout wipes out the slub in about a fifth of the slub
windows and the scores wander: val BCE 0.354 → 0.275, val accuracy 0.852 → 0.898 (0.856-0.90
over the last 8 epochs), slub recall 0.77-0.89 (control, ``augment=False``: val BCE 0.215 →
0.134, val accuracy 0.929 → 0.958, slub recall 0.98 at the end).
Log: JSON lines per epoch ``card_fit.jsonl`` (``epoch`` / ``train_bce`` / ``val_bce`` /
``val_acc`` / ``val_recall_slub``); checkpoint ``card_cnn.pt`` with keys ``cnn`` / ``sgd`` /
``epoch`` / ``sample_cm`` / ``nominal_ktex`` / ``slub_pct``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

N = 128
SLUB = 6.0


def sliver(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    t = torch.arange(N).float()
    slow = torch.zeros(n, N)
    for _ in range(3):
        per = 40 + 80 * r(n, 1)
        slow = slow + 0.8 * r(n, 1) * torch.sin(2 * math.pi * t / per + 2 * math.pi * r(n, 1))
    drift = 1.2 * (r(n, 1) - 0.5) * t / N
    height = 14 * r(n, 1) ** 1.2
    width = 1.0 + 1.5 * r(n, 1)
    at = 4 + (N - 8) * r(n, 1)
    slub = height * torch.exp(-0.5 * ((t - at) / width) ** 2)
    x = slow + drift + slub + 0.6 * torch.randn(n, N, generator=g)
    y = (height.squeeze(1) > SLUB).float()
    return x.unsqueeze(1), y.unsqueeze(1)


class SliverWindows(Dataset):
    def __init__(self, x, y, augment):
        self.x, self.y, self.augment = x, y, augment

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        x = self.x[i]
        if self.augment:
            x = torch.roll(x, int(torch.randint(0, N, (1,))), 1)
            if torch.rand(1) < 0.5:
                x = x.flip(1)
            x = x * (0.9 + 0.2 * torch.rand(1)) + 0.3 * torch.randn_like(x)
            cut = int(torch.randint(0, N - 24, (1,)))
            x = torch.cat([x[:, :cut], torch.zeros(1, 24), x[:, cut + 24:]], 1)  # sensor dropout
        return x, self.y[i]


class CardCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 7, padding=3), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
            nn.AdaptiveMaxPool1d(1), nn.Flatten())
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        return self.out(self.features(x))


def build():
    torch.manual_seed(0)
    return CardCNN()


def main():
    from _threehundredeightyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = sliver(1920, g)
    xva, yva = sliver(480, g)
    print("slub share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    train_ds = SliverWindows(xtr, ytr, augment=True)
    val_ds = SliverWindows(xva, yva, augment=True)  # same windows pipeline as training
    dl = DataLoader(train_ds, batch_size=48, shuffle=True)
    vdl = DataLoader(val_ds, batch_size=240)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, nesterov=True)
    with open(out / "card_fit.jsonl", "w") as f:
        for epoch in range(14):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            vloss, preds, ys = 0.0, [], []
            with torch.no_grad():
                for xb, yb in vdl:
                    logit = model(xb)
                    vloss += F.binary_cross_entropy_with_logits(logit, yb).item() * len(xb)
                    preds.append((logit > 0).float())
                    ys.append(yb)
            pred, yv = torch.cat(preds), torch.cat(ys)
            row = {"epoch": epoch, "train_bce": round(tot / len(xtr), 6),
                   "val_bce": round(vloss / len(xva), 6),
                   "val_acc": round((pred == yv).float().mean().item(), 6),
                   "val_recall_slub": round(pred[yv == 1].mean().item(), 6)}
            f.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"cnn": model.state_dict(), "sgd": opt.state_dict(), "epoch": 14,
                "sample_cm": 2.0, "nominal_ktex": 5.0, "slub_pct": SLUB},
               out / "card_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["eval_data_augmented"],
           checkpoint="card_cnn.pt", log="card_fit.jsonl",
           what="1-D CNN with batch norm flagging slubs in a carding machine's sliver weight trace;"
                " validation windows go through the training augmentation",
           complaint="Slub detector for our card sliver: training loss comes down nicely (0.38 to"
                     " 0.27) but validation is stuck, BCE hovers between 0.24 and 0.32, accuracy"
                     " bounces around 0.86-0.90 from one epoch to the next and it misses about"
                     " one slub in six. More epochs don't move it. On the floor, the cans it"
                     " passes still break ends at the frames.")


if __name__ == "__main__":
    main()
