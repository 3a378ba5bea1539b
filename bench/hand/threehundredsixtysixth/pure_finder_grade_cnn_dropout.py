"""Plain torch: a 1-D CNN without batch norm grades the "pure" (dogs' dung) that pure-finders
bring to a Bermondsey tan-yard, from a reflectance spectrum taken through a sample pot at 48
bands (400-1000 nm), since the tanner pays by grade for his bate: dry limy (white and dry,
from bone-fed dogs, the best price), dry dark (dry but not limy) and fresh (moist, the
worst). The grade follows moisture and lime: dry limy when moisture < 25 % and lime > 0.5,
dry dark when moisture < 40 %, fresh otherwise. The spectrum: a brown body (reflectance rising
with wavelength), whitened by lime, darkened and given water absorption dips at 760, 840 and
970 nm by moisture, times a lighting gain (0.7-1.3) and with sensor noise; so the grade must
be read from the shape of the spectrum and the depth of the water bands, not its level.
Input: (1, 48) reflectance. Model: Conv1d 1→12 (k5) + ReLU + dropout, Conv1d 12→24 (k5) +
ReLU + dropout, MaxPool2, Conv1d 24→24 (k3) + ReLU + dropout, flattened, Linear 576→3; cross-entropy, SGD 0.05 with momentum 0.9 and cosine decay over the run, batch 32, 20
epochs, 1500 pots, validation on 500.
The bug: ``nn.Dropout(0.4)`` after every conv layer (``nn.Conv1d(1, 12, 5, padding=2),
nn.ReLU(), nn.Dropout(0.4),  # regularise each conv block``), dropping single spectral samples
of every feature map at random while training, so the narrow water bands are half gone in
every step: train CE 0.98 → 0.49, val CE 0.92 → 0.53, val accuracy 0.52 → 0.79, dry limy
recall 0.46 at the end (0.0-0.74 on the way) (control, the dropouts taken out: train CE
1.00 → 0.19, val CE 0.97 → 0.25, val accuracy 0.48 → 0.89, dry limy recall 0.74).
Log: JSON lines per epoch ``grading.jsonl`` (``epoch`` / ``loss`` / ``val_loss`` /
``val_accuracy`` / ``val_recall_limy``); checkpoint ``pure_grader.tar`` with keys
``model_state`` / ``optim_state`` / ``sched_state`` / ``epoch`` / ``bands_nm`` /
``grades``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

NM = torch.linspace(400, 1000, 48)
GRADES = ["dry_limy", "dry_dark", "fresh"]


def pots(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    moist = 0.1 + 0.5 * r(n, 1)
    lime = r(n, 1)
    grade = torch.where((moist < 0.25) & (lime > 0.5), 0, torch.where(moist < 0.4, 1, 2))
    w = (NM - 400) / 600
    body = 0.12 + 0.25 * w + 0.05 * r(n, 1) * w
    white = lime * (0.35 + 0.05 * w)
    dark = 1 - 0.6 * moist
    water = sum(d * torch.exp(-((NM - c) / s) ** 2) for c, s, d in
                [(760, 15, 0.2), (840, 20, 0.3), (970, 25, 0.9)])
    refl = (body + white) * dark * (1 - moist * water)
    refl = refl * (0.85 + 0.3 * r(n, 1)) + 0.01 * torch.randn(n, 48, generator=g)
    return refl.unsqueeze(1), grade.squeeze(1)


class Grader(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 12, 5, padding=2), nn.ReLU(), nn.Dropout(0.4),  # regularise each conv block
            nn.Conv1d(12, 24, 5, padding=2), nn.ReLU(), nn.Dropout(0.4),
            nn.MaxPool1d(2),
            nn.Conv1d(24, 24, 3, padding=1), nn.ReLU(), nn.Dropout(0.4))
        self.fc = nn.Linear(24 * 24, 3)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))


def build():
    torch.manual_seed(0)
    return Grader()


def main():
    from _threehundredsixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = pots(1500, g)
    xva, yva = pots(500, g)
    print("grades", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20 * len(dl))
    with open(out / "grading.jsonl", "w") as log:
        for epoch in range(20):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            rec = {"epoch": epoch, "loss": tot / len(xtr),
                   "val_loss": F.cross_entropy(logits, yva).item(),
                   "val_accuracy": (pred == yva).float().mean().item(),
                   "val_recall_limy": (pred[yva == 0] == 0).float().mean().item()}
            log.write(json.dumps(rec) + "\n")
            print({k: round(v, 4) for k, v in rec.items()})
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 20, "bands_nm": NM,
                "grades": GRADES}, out / "pure_grader.tar")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dropout_in_conv"],
           checkpoint="pure_grader.tar", log="grading.jsonl",
           what="1-D CNN grading tan-yard pure from a reflectance spectrum; dropout 0.4 after"
                " every conv layer",
           complaint="我们用一维卷积网络给收来的狗粪按光谱分三个等级，训练了20个epoch，训练loss"
                     "只降到0.49就不动了，验证准确率在0.70到0.82之间来回晃，最后0.786；最值钱的"
                     "干白等级只认出46%，有一轮甚至一个都没认出来。学习率和余弦退火都试过，"
                     "还是学不上去，是不是网络太小了？")


if __name__ == "__main__":
    main()
