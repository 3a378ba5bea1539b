"""Plain torch: a CNN with batch norm grades the end face of a sawlog from a 24×24 grey scan taken
at the sawmill's log deck before the debarker: sound wood, heart rot (a dark, ragged blob around
the pith), ring shake (a dark crack running along one growth ring for a third to half of the
circle) or a knot whorl (3–5 small dark ovals pointing away from the pith). Every face has
concentric growth rings around an off-centre pith, a lighter sapwood band, bark at the rim and
scanner noise. Three blocks Conv3×3-BN-ReLU-MaxPool (16, 32, 64 channels), global average pool,
Linear(64→4); cross-entropy, Adam 2e-3, batch 32, 10 epochs of 1024 faces.
The bug: the block helper was written as Conv-BN-ReLU-``nn.Dropout(0.5)``-MaxPool ("dropout against
overfitting, the log set is small"), so half of every feature map is zeroed in all three conv blocks
during training, and the batch-norm statistics of the next block are gathered on the dropped-out
maps. Training accuracy climbs normally (0.54 → 0.93 in 10 epochs, loss 1.07 → 0.22), but in eval
mode the network falls apart: val accuracy 0.39, 0.39, 0.55, then 0.25–0.30 from epoch 4 (0.2461 is
one class's share: it names every face the same), val loss rising 1.23 → 2.58.
Control (``nn.Dropout(0.5)`` removed from the helper): train accuracy 1.00 by epoch 9, val accuracy
0.85 at epoch 3, 0.957 at epochs 9–10 (with dips to 0.68–0.70 at epochs 5 and 8), val loss 0.11.
Log: CSV per epoch, ``ep``, ``loss``, ``acc``, ``val_loss``, ``val_acc``. Checkpoint ``model_state``
/ ``optimizer_state`` / ``epochs_done``."""
import csv
import math
import sys

import torch
import torch.nn as nn

S = 24


def faces(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    img = torch.zeros(n, 1, S, S)
    for i in range(n):
        py, px = 11.5 + 3 * (torch.rand(2, generator=g) - 0.5)
        r = ((yy - py) ** 2 + (xx - px) ** 2).sqrt()
        ang = torch.atan2(yy - py, xx - px)
        spacing = 1.3 + 0.6 * float(torch.rand(1, generator=g))
        face = 0.6 + 0.15 * torch.cos(2 * math.pi * r / spacing) + 0.2 * (r > 7.5).float()
        face[r > 10.5] = 0.15
        c = int(y[i])
        if c == 1:
            rr = 2.5 + 2 * float(torch.rand(1, generator=g))
            wob = 1 + 0.3 * torch.sin(3 * ang + 6 * float(torch.rand(1, generator=g)))
            face = face - 0.5 * torch.sigmoid((rr * wob - r) * 2)
        elif c == 2:
            ring = 4 + 4 * float(torch.rand(1, generator=g))
            a0 = 2 * math.pi * float(torch.rand(1, generator=g)) - math.pi
            span = 1 + 1.5 * float(torch.rand(1, generator=g))
            da = torch.remainder(ang - a0 + math.pi, 2 * math.pi) - math.pi
            face = face - 0.55 * torch.exp(-(r - ring) ** 2 / 0.4) * (da.abs() < span / 2)
        elif c == 3:
            k = int(torch.randint(3, 6, (1,), generator=g))
            a0 = 2 * math.pi * float(torch.rand(1, generator=g))
            for j in range(k):
                a = a0 + 2 * math.pi * j / k
                cy, cx = py + 5 * math.sin(a), px + 5 * math.cos(a)
                u = (yy - cy) * math.sin(a) + (xx - cx) * math.cos(a)
                v = -(yy - cy) * math.cos(a) + (xx - cx) * math.sin(a)
                face = face - 0.45 * torch.exp(-(u ** 2 / 2.5 + v ** 2 / 0.6))
        img[i, 0] = face
    img = img + 0.12 * torch.randn(img.shape, generator=g)
    return (img - 0.5) / 0.25, y


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(),
                         nn.Dropout(0.5), nn.MaxPool2d(2))


def build():
    torch.manual_seed(0)
    return nn.Sequential(block(1, 16), block(16, 32), block(32, 64), nn.AdaptiveAvgPool2d(1),
                         nn.Flatten(), nn.Linear(64, 4))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredsixtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = faces(1024, g)
    xva, yva = faces(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    ce = nn.CrossEntropyLoss()
    rows = []
    for ep in range(1, 11):
        model.train()
        perm = torch.randperm(1024, generator=g)
        tot, hit = 0.0, 0
        for i in range(0, 1024, 32):
            idx = perm[i:i + 32]
            logits = model(xtr[idx])
            loss = ce(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        rows.append({"ep": ep, "loss": round(tot / 1024, 4), "acc": round(hit / 1024, 4),
                     "val_loss": round(ce(lv, yva).item(), 4),
                     "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)})
        print(rows[-1])
    with open(out / "endface_log.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "epochs_done": 10}, out / "endface_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dropout_in_conv"],
           checkpoint="endface_cnn.pt", log="endface_log.csv",
           what="BN CNN grading sawlog end-face defects, Dropout(0.5) inside every conv block",
           complaint="Log end-face grader: training accuracy climbs to 0.93 in 10 epochs, but "
                     "validation accuracy falls to 0.25 from epoch 4 on; it gives every log the "
                     "same grade and the val loss rises to 2.6. Validation faces come from the "
                     "same scanner and generator as the training ones. Overfitting after 4 epochs?")


if __name__ == "__main__":
    main()
