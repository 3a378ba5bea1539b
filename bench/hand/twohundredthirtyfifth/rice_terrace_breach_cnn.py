"""Plain torch: a small CNN (no batch norm) flags which side of a rice-terrace plot will
breach first in the monsoon (north, east, south, west) from a 16×16 drone elevation patch:
the plot is a flat paddy with a bund (raised wall) around it; one side's bund has a low, worn
notch where water collects, plus random slope and noise. Conv(1→16)-ReLU-pool,
Conv(16→32)-ReLU-pool, Linear(32·4·4→64)-ReLU-Linear(64→4); Adam 2e-3, batch 32, 12 epochs of
1024 patches. Checkpoint ``{"model_state_dict", "optimizer_state_dict", "epoch", "step"}``,
log JSON lines per epoch.
The bug: ``weight_decay=5e-1`` in Adam (meant 5e-4: the exponent lost a digit when copied from
a config), an L2 penalty so strong it holds the weights near zero. Numbers: training loss 1.386
(ln 4) every epoch, val accuracy 0.22-0.31. Control (``weight_decay=5e-4``): val accuracy 0.43,
0.67, 0.96 at epoch 3, 1.00 at epoch 12, loss 0.003."""
import json
import sys

import torch
import torch.nn as nn


def patches(n, g):
    yy, xx = torch.meshgrid(torch.arange(16).float(), torch.arange(16).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    bund = ((yy < 2) | (yy > 13) | (xx < 2) | (xx > 13)).float()
    img = bund.expand(n, 16, 16).clone()
    pos = 3 + (10 * torch.rand(n, generator=g)).long()
    for i in range(n):
        p, s = int(pos[i]), int(y[i])
        if s == 0:
            img[i, :2, p:p + 3] = 0.1
        elif s == 1:
            img[i, p:p + 3, 14:] = 0.1
        elif s == 2:
            img[i, 14:, p:p + 3] = 0.1
        else:
            img[i, p:p + 3, :2] = 0.1
    tilt = torch.randn(n, 2, 1, 1, generator=g) * 0.03
    img = img + tilt[:, 0] * yy + tilt[:, 1] * xx + 0.2 * torch.randn(n, 16, 16, generator=g)
    return img.unsqueeze(1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(512, 64), nn.ReLU(), nn.Linear(64, 4))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredthirtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(1024, g)
    xva, yva = patches(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=5e-1)
    loss_fn = nn.CrossEntropyLoss()
    step = 0
    with open(out / "breach_log.jsonl", "w") as f:
        for epoch in range(12):
            model.train()
            perm = torch.randperm(1024, generator=g)
            tot = 0.0
            for i in range(0, 1024, 32):
                idx = perm[i:i + 32]
                loss = loss_fn(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            rec = {"epoch": epoch + 1, "step": step, "loss": round(tot / 1024, 4),
                   "val_loss": round(loss_fn(lv, yva).item(), 4),
                   "val_accuracy": round((lv.argmax(1) == yva).float().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 12, "step": step}, out / "breach_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["over_regularization"],
           checkpoint="breach_cnn.pt", log="breach_log.jsonl",
           what="CNN predicting which bund of a rice-terrace plot breaches first",
           complaint="The breach-side CNN is stuck: training loss sits around 1.38 for all 12 "
                     "epochs and validation accuracy hovers at a quarter, i.e. guessing among "
                     "four sides. The worn notch is obvious by eye in the elevation patches, so "
                     "why can't it pick it up?")


if __name__ == "__main__":
    main()
