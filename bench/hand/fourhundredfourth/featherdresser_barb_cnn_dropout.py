"""Plain torch: a small 2-D CNN without batch norm sorts feathers at a featherdresser's bench
from a 16 × 16 grey crop of the vane (scanned on a light box, the quill running top to
bottom): hackle, saddle, ostrich plume or marabou, so each lot goes to the right dressing
(stripping, curling, dyeing). The vane is read from its barbs: hackles are narrow with barbs
swept steeply towards the tip, saddles a little wider and less swept, plumes wide with
barbs nearly square to the quill and close together, marabou wide and fluffy (barbules that
break the barb stripes into blotches). Quill tilt, barb spacing, vane width, light-box
brightness and sensor noise vary from crop to crop, so neighbouring kinds overlap.
Input: (1, 16, 16) grey, about zero mean. Model: three blocks of Conv2d (3 × 3) + ReLU
(1→16, 16→32 with MaxPool2 after each of the first two, 32→32), global average pool, Linear
32→4; cross-entropy, SGD 0.03 with Nesterov momentum 0.9, batch 40, 12 epochs, 2400 crops,
validation on 600.
The bug: every conv block ends in ``nn.Dropout(0.5)`` (element-wise dropout on the feature
maps, in all three blocks): val accuracy 0.71 → 0.91 and jumping
between 0.77 and 0.97 from epoch 3 on, val CE 0.825 → 0.226 (0.11-0.46 on the way) above a
train CE of 0.054 (control, the dropout taken out: val accuracy 0.615 → 0.993, steady at
0.98-0.99 from epoch 2, val CE 0.750 → 0.022).
Log: one JSON lines file per epoch ``sort_log.jsonl`` (``epoch`` / ``loss`` / ``val_loss`` /
``val_acc`` / ``val_acc_plume``); checkpoint ``feather_sorter.pth`` with keys ``weights`` /
``opt_state`` / ``epoch`` / ``kinds`` / ``crop_px``."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

KINDS = ["hackle", "saddle", "plume", "marabou"]
PX = 16


def crops(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    kind = torch.randint(0, 4, (n,), generator=g)
    u = lambda lo, hi: (torch.tensor(lo)[kind] + (torch.tensor(hi) - torch.tensor(lo))[kind]  # noqa: E731
                        * r(n)).view(n, 1, 1)
    half_w = u([2.0, 3.0, 5.0, 4.0], [3.5, 4.8, 7.0, 6.5])  # vane half-width, px
    sweep = u([1.3, 0.7, 0.1, 0.4], [2.0, 1.3, 0.5, 0.9])  # barb rise per px out from the quill
    pitch = u([2.6, 3.0, 2.0, 2.6], [3.6, 4.2, 2.8, 3.6])  # barb spacing, px
    fluff = (kind == 3).float().view(n, 1, 1)
    yy, xx = torch.meshgrid(torch.arange(PX).float(), torch.arange(PX).float(), indexing="ij")
    cx = 7.5 + 1.5 * (r(n, 1, 1) - 0.5)
    tilt = 0.15 * (r(n, 1, 1) - 0.5)
    dx = xx - (cx + tilt * (yy - 7.5))
    phase = 2 * math.pi * r(n, 1, 1)
    barbs = 0.5 + 0.5 * torch.cos(2 * math.pi * (yy + sweep * dx.abs()) / pitch + phase)
    vane = torch.sigmoid(3 * (half_w - dx.abs()))
    blot = F.avg_pool2d(torch.rand(n, 1, PX, PX, generator=g), 3, 1, 1).squeeze(1)
    barbs = (1 - 0.7 * fluff) * barbs + fluff * 1.6 * (blot - 0.3)
    quill = torch.exp(-(dx ** 2) / 0.8)
    img = (0.8 + 0.4 * r(n, 1, 1)) * (vane * barbs + 0.9 * quill)
    img = img + 0.25 * torch.randn(n, PX, PX, generator=g)
    return (img - 0.45).unsqueeze(1), kind


def block(cin, cout):
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.Dropout(0.5)]  # regularise each block, the lots are small


class FeatherNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(*block(1, 16), nn.MaxPool2d(2), *block(16, 32),
                                      nn.MaxPool2d(2), *block(32, 32))
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.features(x).mean((2, 3)))


def build():
    torch.manual_seed(0)
    return FeatherNet()


def main():
    from _fourhundredfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = crops(2400, g)
    xva, yva = crops(600, g)
    print("kinds", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, nesterov=True)
    with open(out / "sort_log.jsonl", "w") as log:
        for epoch in range(12):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            row = {"epoch": epoch, "loss": round(tot / len(xtr), 6),
                   "val_loss": round(F.cross_entropy(logits, yva).item(), 6),
                   "val_acc": round((pred == yva).float().mean().item(), 6),
                   "val_acc_plume": round((pred[yva == 2] == 2).float().mean().item(), 6)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(), "epoch": 12,
                "kinds": KINDS, "crop_px": PX}, out / "feather_sorter.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dropout_in_conv"],
           checkpoint="feather_sorter.pth", log="sort_log.jsonl",
           what="2-D CNN without BN sorting feathers (hackle / saddle / plume / marabou) from a"
                " vane crop; nn.Dropout(0.5) after every conv block",
           complaint="Our feather sorting CNN reaches a training loss of about 0.05 but the"
                     " validation accuracy won't settle: 0.93 one epoch, 0.77 two epochs later,"
                     " 0.97, then 0.91 at the end, and the validation loss (0.11 to 0.46) stays"
                     " far above the training loss. Which epoch's weights should we trust?")


if __name__ == "__main__":
    main()
