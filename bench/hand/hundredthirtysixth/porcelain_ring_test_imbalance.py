"""Porcelain plates off the glost kiln get the ring test: a small hammer taps the rim and a
microphone records the ring; a hairline crack damps the ring and splits the fundamental into
two close peaks, and a glazed-over crack buzzes. The input is the tap's spectrum as 96
log-magnitude bands (400 Hz – 9.6 kHz), the label 0 sound / 1 cracked (from the inspector's
dye-penetrant check). Plates come in 4 sizes, so the mode frequencies move (fundamental
0.9–1.7 kHz, the next modes at ×1.7, ×2.9 and ×4.2); workshop noise under it. About 2 % of the
plates are cracked (2.2 % of the 4000 training plates, 2.8 % of the 1000 validation ones). A
1-D CNN over the bands (2 conv blocks, 16/32 channels, global max pool, linear head), Adam 1e-3, batch 64, 8 epochs of 4000 plates; JSON lines per epoch with train
loss, val loss, val accuracy, cracked recall and cracked precision.
Bug: the 98 : 2 split is trained with a plain ``nn.CrossEntropyLoss()``; the cheapest way down
is to call every plate sound. Val accuracy 0.972 (= the sound share) for epochs 1–7 and 0.974
at epoch 8, cracked recall 0.0 for 7 epochs and 0.071 (2 of 28) at the end, train loss 0.162
→ 0.065, val loss 0.133 → 0.080. The control (``nn.CrossEntropyLoss(weight=torch.tensor([1.0,
49.0]))``) finds 0.71 of the cracked plates after epoch 1 and 0.82 (23 of 28) at the end, with
precision 0.32 and val accuracy 0.947. The first draft (3 % cracked, stronger damping and split,
10 epochs) was too easy: the unweighted run itself reached recall 0.95 (see the README)."""
import json

import torch
import torch.nn as nn

BANDS = 96
FREQ = torch.logspace(torch.log10(torch.tensor(400.0)), torch.log10(torch.tensor(9600.0)), BANDS)
RATIOS = [1.0, 1.7, 2.9, 4.2]
CRACKED_SHARE = 0.02


def plates(n, g):
    y = (torch.rand(n, generator=g) < CRACKED_SHARE).long()
    size = torch.randint(0, 4, (n,), generator=g)
    f0 = (1700 - 230 * size) * (1 + 0.04 * torch.randn(n, generator=g))
    width = 0.010 * (1 + 0.25 * torch.rand(n, generator=g))          # relative peak width
    width = width * torch.where(y == 1, 1.25, 1.0)                        # damped ring
    split = torch.where(y == 1, 0.006 + 0.006 * torch.rand(n, generator=g), torch.zeros(n))
    lf = torch.log(FREQ)[None, :]
    spec = torch.zeros(n, BANDS)
    for k, r in enumerate(RATIOS):
        amp = (0.8 ** k) * (0.7 + 0.6 * torch.rand(n, 1, generator=g))
        for s in (-0.5, 0.5):
            c = torch.log(f0 * r * (1 + s * split))[:, None]
            spec = spec + 0.5 * amp * torch.exp(-((lf - c) / width[:, None]) ** 2 / 2)
    buzz = torch.where(y == 1, 0.01 * torch.rand(n, generator=g), torch.zeros(n))[:, None]
    noise = 0.03 * torch.rand(n, 1, generator=g) * torch.exp(-lf / 9)
    x = torch.log(spec + buzz + noise + 1e-3) + 0.25 * torch.randn(n, BANDS, generator=g)
    return x, y


class RingNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(),
                                  nn.Conv1d(16, 32, 5, padding=2), nn.ReLU())
        self.fc = nn.Linear(32, 2)

    def forward(self, x):
        return self.fc(self.conv(x[:, None]).amax(-1))


def build():
    torch.manual_seed(0)
    return RingNet()


def main():
    from _hundredthirtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = plates(5000, g)
    mu, sd = x[:4000].mean(), x[:4000].std()
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[:4000], y[:4000], x[4000:], y[4000:]
    print("cracked share train / val", ytr.float().mean().item(), yva.float().mean().item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    log = open(out / "ringtest.jsonl", "w")
    for epoch in range(8):
        model.train()
        perm = torch.randperm(4000, generator=g)
        tot = 0.0
        for i in range(0, 4000, 64):
            idx = perm[i:i + 64]
            loss = criterion(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            pred = lo.argmax(1)
            tp = ((pred == 1) & (yva == 1)).sum().item()
            rec = {"epoch": epoch, "train/loss": round(tot / 4000, 4),
                   "val/loss": round(criterion(lo, yva).item(), 4),
                   "val/acc": round((pred == yva).float().mean().item(), 4),
                   "val/recall_cracked": round(tp / max((yva == 1).sum().item(), 1), 4),
                   "val/precision_cracked": round(tp / max((pred == 1).sum().item(), 1), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, int((pred == 1).sum()))
    log.close()
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 7,
                "bands_hz": FREQ, "norm": (mu, sd)}, out / "ringnet.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="ringnet.ckpt", log="ringtest.jsonl",
           what="porcelain ring-test crack detector (3 % cracked), unweighted cross-entropy",
           complaint="The ring-test model looks great on paper, 97.4 % validation accuracy, but it is "
                     "useless: of the 28 cracked plates in validation it flagged 2, and for the first "
                     "7 epochs it flagged none at all. It just passes every plate as sound. The loss "
                     "went down nicely the whole time (0.16 to 0.065).")


if __name__ == "__main__":
    main()
