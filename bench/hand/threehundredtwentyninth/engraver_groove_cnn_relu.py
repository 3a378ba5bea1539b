"""Plain torch: a 1-D CNN (no batch norm) names the graver that cut a line in a copper plate
from the profilometer's cross-section of the groove, so an engraving can be catalogued by the
tools its maker used: square graver, onglette, flat graver, round graver, lining graver. The
groove shapes follow the tools' faces: the square graver cuts a 90° V, the onglette a narrow
(60°) V with a rounded tip, the flat graver a flat bottom with steep walls, the round graver a
U (a circular arc), the lining graver 3-6 fine parallel V's; depth 20-80 µm, the line anywhere
near the middle of the 64-point trace (12.5 µm apart), the plate a little tilted, burr at the
edges, and 1.5 µm profilometer noise. Input: (1, 64) depth / 50 µm.
Model: Conv1d 1→16 (k5) + ReLU + MaxPool2, Conv1d 16→32 (k5) + ReLU + MaxPool2, Conv1d 32→32
(k3) + ReLU, global average pool, Linear 32→32 + ReLU, Linear 32→5, then ``nn.ReLU()`` on the
scores; cross-entropy, SGD 0.05 (Nesterov momentum 0.9), batch 48, 30 epochs, 1500 traces,
validation on 400.
The bug: the head ends in ``nn.ReLU(),  # tool scores are non-negative`` before the
cross-entropy's softmax, so a tool whose score goes negative is clamped to 0 and gets no
gradient back: train and val loss 1.6094 (ln 5) from epoch 0 to 29, val accuracy 0.19
(one tool for every trace) and onglette recall 0 every epoch (control, ``nn.Identity()``:
val loss 1.607 → 0.149, val accuracy 0.19 → 0.97, best 0.98).
Log: TSV per epoch ``graver_fit.tsv`` (``epoch`` / ``loss_train`` / ``loss_val`` /
``acc_val`` / ``acc_val_onglette``); checkpoint ``graver_cnn.ckpt`` with keys ``net_state``
/ ``optim_state`` / ``epochs_done`` / ``tools`` / ``depth_scale_um``."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

TOOLS = ["square", "onglette", "flat", "round", "lining"]
N = 64
DX = 12.5  # µm between trace points


def grooves(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    tool = torch.randint(0, 5, (n,), generator=g)
    x = (torch.arange(N).float() - N / 2) * DX
    c = (r(n, 1) - 0.5) * 120
    depth = 20 + 60 * r(n, 1)
    d = x - c
    square = (depth - d.abs() * math.tan(math.radians(45))).clamp(min=0)
    half60 = math.tan(math.radians(30))
    ong = (depth - (d.abs() / half60).clamp(min=0)).clamp(min=0)
    ong = torch.where(d.abs() < 6, depth - d ** 2 / (12 * half60), ong).clamp(min=0)
    w = 80 + 120 * r(n, 1)
    flat = torch.where(d.abs() < w / 2, depth,
                       (depth - (d.abs() - w / 2) * 3).clamp(min=0))
    rad = depth / 2 + (60 + 80 * r(n, 1)) ** 2 / (8 * depth)
    round_ = (depth - rad + (rad ** 2 - d.clamp(-rad + 1e-3, rad - 1e-3) ** 2).clamp(min=0).sqrt())
    round_ = round_.clamp(min=0)
    k = torch.randint(3, 7, (n, 1), generator=g).float()
    pitch = 40 + 30 * r(n, 1)
    phase = torch.remainder(d + k * pitch / 2, pitch) - pitch / 2
    lining = torch.where(d.abs() < k * pitch / 2, (0.4 * depth - phase.abs() * 1.0).clamp(min=0), 0.0)
    prof = torch.stack([square, ong, flat, round_, lining], 1)[torch.arange(n), tool]
    edge = torch.exp(-((prof > 0).float().diff(dim=1, prepend=torch.zeros(n, 1)).abs()
                       .cumsum(1) - 1).abs())  # a little burr where the cut starts and ends
    tilt = (r(n, 1) - 0.5) * 0.02 * x
    y = prof - 3 * (edge > 0.9).float() * r(n, 1) + tilt + 1.5 * torch.randn(n, N, generator=g)
    return (y / 50).unsqueeze(1), tool


class GraverCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(1, 16, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                                      nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(),
                                      nn.AdaptiveAvgPool1d(1), nn.Flatten())
        self.head = nn.Sequential(nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 5),
                                  nn.ReLU(),  # tool scores are non-negative
                                  )

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return GraverCNN()


def main():
    from _threehundredtwentyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = grooves(1500, g)
    xva, yva = grooves(400, g)
    print("tools", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    with open(out / "graver_fit.tsv", "w") as log:
        log.write("epoch\tloss_train\tloss_val\tacc_val\tacc_val_onglette\n")
        for epoch in range(30):
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
                scores = model(xva)
            pred = scores.argmax(1)
            row = [tot / len(xtr), F.cross_entropy(scores, yva).item(),
                   (pred == yva).float().mean().item(), (pred[yva == 1] == 1).float().mean().item()]
            log.write(f"{epoch}\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"net_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epochs_done": 30, "tools": TOOLS, "depth_scale_um": 50.0}, out / "graver_cnn.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["activation_before_softmax"],
           checkpoint="graver_cnn.ckpt", log="graver_fit.tsv",
           what="1-D CNN without batch norm naming the graver from a groove's cross-section;"
                " ReLU on the class scores before the cross-entropy",
           complaint="Graver classifier on profilometer traces of engraved copper: the loss sits at"
                     " 1.6094 on both train and validation from the first epoch to the 30th,"
                     " validation accuracy is stuck at 0.19 and every trace gets the same tool;"
                     " the onglette is never predicted. The five tools are balanced, about 300"
                     " traces each, and the traces look right when I plot them.")


if __name__ == "__main__":
    main()
