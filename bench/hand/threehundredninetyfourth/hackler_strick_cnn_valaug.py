"""Plain torch: a 1-D CNN with batch norm grades hackled flax from a light-transmission scan
across the strick (96 points, transmission 0-1), so the hackler can sort line flax from tow
without a second pass through the hackles: fine line, medium line, coarse line, tow. The
grade shows in how much light gets through (finer, better-combed fibre lies thinner: level
0.72 / 0.62 / 0.52 / 0.42, ± 0.06 lamp drift per scan), in the width of the fibre bundles
(the texture's period: 4 / 7 / 12 points, tow a tangle of all periods) and in the dark dips
of shives (woody bits) left in it (0-1 / 1-2 / 2-4 / 4-8).
Input: (1, 96) transmission. Training augmentation (``train_tf``): gain × 0.8-1.2, a random
circular shift, ± 0.06 noise and a 20-point cutout set to the scan's mean. Model: Conv1d 1→16
(k7) + BN + ReLU + MaxPool2, 16→32 (k5) + BN + ReLU + MaxPool2, 32→32 (k3) + BN + ReLU,
global average pool, Linear 32→4; cross-entropy, SGD 0.03 (momentum 0.9, Nesterov) with
MultiStepLR (×0.2 at epochs 8 and 14), batch 48, 18 epochs, 1600 scans, validation on 400.
The bug: the validation set is wrapped with the training transform, so every evaluation sees
freshly jittered, shifted, noised and cut-out scans (and draws from the same random stream
as the training shuffle): val acc 0.44 → 0.955, dropping to 0.78 and 0.845 in epochs 9 and
11, val CE 0.102 at the end, tow accuracy 0.86 (control, ``transform=None``: val acc 0.44 →
0.98, never below 0.96 after epoch 9, val CE 0.055, tow accuracy 0.91).
Log: TSV per epoch ``strick_log.tsv`` (``epoch`` / ``lr`` / ``loss`` / ``val_loss`` /
``val_acc`` / ``val_acc_tow``); checkpoint ``hackle_cnn.bin`` with keys ``model_state`` /
``optimizer_state`` / ``milestones`` / ``epoch`` / ``grades``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

N = 96
GRADES = ["fine_line", "medium_line", "coarse_line", "tow"]


def strick_scans(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.arange(N).float()
    level = torch.tensor([0.72, 0.62, 0.52, 0.42])[y].unsqueeze(1) + 0.06 * (2 * r(n, 1) - 1)
    period = torch.tensor([4.0, 7.0, 12.0, 7.0])[y].unsqueeze(1) * (0.9 + 0.2 * r(n, 1))
    tex = 0.12 * torch.sin(2 * math.pi * x / period + 2 * math.pi * r(n, 1))
    tow = (y == 3).float().unsqueeze(1)
    tangle = sum(0.06 * torch.sin(2 * math.pi * x / p + 2 * math.pi * r(n, 1))
                 for p in (3.0, 5.0, 9.0, 15.0))
    tex = (1 - tow) * tex + tow * tangle
    lo = torch.tensor([0, 1, 2, 4])[y]
    hi = torch.tensor([1, 2, 4, 8])[y]
    k = lo + (r(n) * (hi - lo + 1).float()).long()
    shives = torch.zeros(n, N)
    for i in range(n):
        for c in (r(int(k[i])) * N).tolist():
            shives[i] += 0.3 * torch.exp(-0.5 * ((x - c) / 1.2) ** 2)
    t = level * (1 + tex) - shives + 0.015 * torch.randn(n, N, generator=g)
    return t.clamp(0, 1).unsqueeze(1), y


def train_tf(x):
    x = x * (0.8 + 0.4 * torch.rand(1))
    x = torch.roll(x, int(torch.randint(0, N, (1,))), dims=-1)
    x = x + 0.06 * torch.randn_like(x)
    c = int(torch.randint(0, N - 20, (1,)))
    x = x.clone()
    x[..., c:c + 20] = x.mean()
    return x


class Stricks(Dataset):
    def __init__(self, x, y, transform=None):
        self.x, self.y, self.transform = x, y, transform

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        x = self.x[i]
        return (self.transform(x) if self.transform else x), self.y[i]


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ReLU(),
                         nn.MaxPool1d(2), nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32),
                         nn.ReLU(), nn.MaxPool1d(2), nn.Conv1d(32, 32, 3, padding=1),
                         nn.BatchNorm1d(32), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
                         nn.Linear(32, 4))


def main():
    from _threehundredninetyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = strick_scans(1600, g)
    xva, yva = strick_scans(400, g)
    print("grades", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    train_dl = DataLoader(Stricks(xtr, ytr, transform=train_tf), batch_size=48, shuffle=True)
    val_dl = DataLoader(Stricks(xva, yva, transform=train_tf), batch_size=200)  # as in training
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[8, 14], gamma=0.2)
    with open(out / "strick_log.tsv", "w") as log:
        log.write("epoch\tlr\tloss\tval_loss\tval_acc\tval_acc_tow\n")
        for epoch in range(18):
            model.train()
            tot = 0.0
            for xb, yb in train_dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            vl, right, tow_right, seen = 0.0, 0, 0, 0
            with torch.no_grad():
                for xb, yb in val_dl:
                    logits = model(xb)
                    vl += F.cross_entropy(logits, yb, reduction="sum").item()
                    pred = logits.argmax(1)
                    right += (pred == yb).sum().item()
                    tow_right += ((pred == 3) & (yb == 3)).sum().item()
                    seen += len(yb)
            row = [tot / len(ytr), vl / seen, right / seen, tow_right / (yva == 3).sum().item()]
            log.write(f"{epoch}\t{lr:.5f}\t" + "\t".join(f"{v:.5f}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "milestones": [8, 14], "epoch": 18, "grades": GRADES}, out / "hackle_cnn.bin")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["eval_data_augmented"],
           checkpoint="hackle_cnn.bin", log="strick_log.tsv",
           what="1-D CNN with batch norm grading hackled flax from a transmission scan;"
                " the validation loader runs the training augmentation",
           complaint="My flax grading CNN reaches about 95 % validation accuracy but the"
                     " number jumps around, by up to 18 points from one epoch to the next, even"
                     " in the last epochs when the learning rate is tiny and the training loss"
                     " is flat. The validation loss is"
                     " 0.10, a bit below the training loss, and the tow grade is only 86 %"
                     " right. Is the model too small?")


if __name__ == "__main__":
    main()
