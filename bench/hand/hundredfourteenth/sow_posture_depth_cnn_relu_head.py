"""Farrowing-pen monitoring: a small CNN reads the sow's posture from an overhead depth camera
(24×24 height map in metres above the pen floor) as standing / sitting / lying sternal / lying
lateral — the lying-down events are what the crushing alarm for the piglets keys on. The sow
is an elongated blob at a random place and heading: standing ~0.7 m high and narrow, sitting
high at the shoulders and low at the rump, sternal ~0.35 m and compact, lateral ~0.25 m, wider
with the legs stretched out sideways. Piglets (small 0.15 m blobs) and the crate's side bars
are in the picture; depth noise. Adam 1e-3, batch 32, 8 epochs of 1536 maps; the checkpoint is
saved every epoch (``sow_posture_ep{N}.pth``, the last one given).

The bug: the classifier head is written as ``nn.Sequential(nn.Linear(64, 4), nn.ReLU())`` —
the block pattern of the layers above copied once too often — and fed to
``nn.CrossEntropyLoss``, so no posture score can go below 0. Train loss 1.34 → 1.06 → 0.87 and
then stuck at 0.73–0.80 for the last 5 epochs, val loss 0.69, val accuracy 0.523 from epoch 2
to the end: the sitting and sternal scores are 0 on every map (never predicted), standing and
lateral share all 384 validation maps. The control (no ReLU) reaches val accuracy 0.96 at
epoch 4 and 0.971 at the end, val loss 0.071, train 0.079."""
import json
import math

import torch
from torch import nn

S = 24
POSTURES = ["standing", "sitting", "lying_sternal", "lying_lateral"]


def depth_maps(n, g):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    y = torch.randint(0, 4, (n,), generator=g)
    x = torch.zeros(n, 1, S, S)
    for i in range(n):
        r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
        k = int(y[i])
        cy, cx = 9 + 6 * r(), 9 + 6 * r()
        th = 6.283 * r()
        u = (xx - cx) * math.cos(th) + (yy - cy) * math.sin(th)  # along the body
        v = -(xx - cx) * math.sin(th) + (yy - cy) * math.cos(th)
        length = 8 + 1.5 * r()
        width = [2.6, 3.0, 3.4, 4.2][k] + 0.5 * r()
        body = ((u / length) ** 2 + (v / width) ** 2) < 1
        h = [0.70, 0.55, 0.35, 0.25][k] + 0.06 * (r() - 0.5)
        height = torch.full_like(xx, h)
        if k == 1:  # shoulders up, rump on the floor
            height = h * (0.55 + 0.45 * ((u / length).clamp(-1, 1) + 1) / 2)
        img = torch.where(body, height, torch.zeros_like(xx))
        if k == 3:  # legs stretched out to one side
            for off in (-4.5, 4.5):
                leg = ((u - off).abs() < 0.8) & (v > width - 0.5) & (v < width + 3.5)
                img = torch.where(leg, torch.full_like(img, 0.12), img)
        for _ in range(int(4 * r())):
            py, px = 24 * r(), 24 * r()
            piglet = ((yy - py) ** 2 + (xx - px) ** 2) < 2.0
            img = torch.where(piglet & ~body, torch.full_like(img, 0.15), img)
        bar = (xx.long() % 12 == 0).float() * 0.9 if r() < 0.5 else 0.0
        x[i, 0] = torch.maximum(img, torch.as_tensor(bar))
    return x + 0.02 * torch.randn(x.shape, generator=g), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Sequential(nn.Linear(64, 4), nn.ReLU()))


def main():
    from _hundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(1)
    xtr, ytr = depth_maps(1536, g)
    xva, yva = depth_maps(384, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.CrossEntropyLoss()
    log = open(out / "posture_train.jsonl", "w")
    step = 0
    for ep in range(8):
        model.train()
        order = torch.randperm(len(xtr), generator=g)
        losses = []
        for i in range(0, len(xtr), 32):
            idx = order[i:i + 32]
            opt.zero_grad()
            loss = crit(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            losses.append(loss.item())
            step += 1
        model.eval()
        with torch.no_grad():
            out_va = model(xva)
            pred = out_va.argmax(1)
            row = {"ep": ep, "it": step, "trn_loss": sum(losses) / len(losses),
                   "val_loss": crit(out_va, yva).item(),
                   "val_acc": (pred == yva).float().mean().item(),
                   "val_lateral_recall": (pred[yva == 3] == 3).float().mean().item()}
        log.write(json.dumps(row) + "\n")
        print(row, torch.bincount(pred, minlength=4).tolist())
        torch.save({"model_state_dict": model.state_dict(),
                    "optimizer_state_dict": opt.state_dict(), "epoch": ep, "step": step,
                    "postures": POSTURES}, out / f"sow_posture_ep{ep}.pth")
    log.close()
    finish(out, __file__, (xva[:64], yva[:64]), causes=["activation_before_softmax"],
           checkpoint="sow_posture_ep7.pth", log="posture_train.jsonl",
           what="sow posture depth CNN whose classifier head ends in nn.ReLU() before "
                "CrossEntropyLoss",
           complaint=("Posture model plateaus: the training loss drops to about 0.73 by epoch 5 and "
                      "stays there, and validation accuracy is 0.523 at every epoch from epoch 2 "
                      "on. It only ever outputs standing or lying lateral — never sitting and "
                      "never sternal lying, which our crushing alarm needs."))


if __name__ == "__main__":
    main()
