"""Cave survey: a small CNN types passage cross-sections drawn from LRUD-plus-profile survey
sketches, rasterised to 24×24 silhouettes (1 = open passage): phreatic tube (an ellipse, wider
than tall), keyhole (a phreatic half-tube on top of a narrow vadose slot), canyon (tall and
narrow, wavy walls) and breakdown chamber (a flat collapse floor of blocks under an arched
roof, ragged outline). Scale 0.7–1.1, a small tilt, the sketch offset ± 2 px, 8 % of the pixels
flipped (sketch and scan noise). Four 3×3 convs (12 / 24 / 32 / 32 channels, ReLU, max-pool
after the first two), global max pool, a linear head. Adam 3e-3, batch 32, 8 epochs of 1200
sections; a JSON-lines log per epoch (train loss / accuracy, val loss / accuracy).
Bug: ``nn.Dropout2d(0.5)`` after every convolution, copied from an MLP recipe ("dropout 0.5
everywhere against overfitting") into a net of 12–32 channels that has nothing to overfit: half
of the channels of every layer are dropped at each step. Train loss sits at ln 4 ≈ 1.39 for 3
epochs, then train accuracy 0.27 → 0.59 after 8 epochs (train loss 0.83), val accuracy 0.77
(0.25 for epochs 2–4, 0.83 at epoch 7); the control (no conv dropout) reaches train accuracy
0.99, val accuracy 0.99, train loss 0.023, val loss 0.021."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24
KINDS = ["phreatic_tube", "keyhole", "canyon", "breakdown"]


def section(kind, g):
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, S), torch.linspace(-1, 1, S), indexing="ij")
    sc = 0.7 + 0.4 * r()
    a = (r() - 0.5) * 0.4
    dx, dy = (r() - 0.5) * 0.35, (r() - 0.5) * 0.35
    x = (math.cos(a) * (xx - dx) + math.sin(a) * (yy - dy)) / sc
    y = (-math.sin(a) * (xx - dx) + math.cos(a) * (yy - dy)) / sc
    if kind == 0:
        m = (x / (0.8 + 0.1 * r())) ** 2 + (y / (0.45 + 0.1 * r())) ** 2 < 1
    elif kind == 1:
        top = (x / 0.55) ** 2 + ((y + 0.35) / 0.35) ** 2 < 1
        slot = (x.abs() < 0.12 + 0.05 * r()) & (y > -0.35) & (y < 0.9)
        m = top | slot
    elif kind == 2:
        w = 0.2 + 0.08 * torch.sin(6 * y + 6 * r())
        m = ((x - 0.1 * torch.sin(3 * y)).abs() < w) & (y.abs() < 0.9)
    else:
        roof = (x / 0.9) ** 2 + ((y - 0.3) / 0.9) ** 2 < 1
        m = roof & (y < 0.3 + 0.08 * torch.sin(9 * x + 6 * r()))
        m = m & (y > -0.75 + 0.1 * torch.sin(14 * x))
    img = m.float()
    flip = torch.rand(S, S, generator=g) < 0.08
    return torch.where(flip, 1 - img, img)


def sections(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    return torch.stack([section(int(k), g) for k in y])[:, None], y


class SectionNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 12, 3, padding=1), nn.ReLU(), nn.Dropout2d(0.5), nn.MaxPool2d(2),
            nn.Conv2d(12, 24, 3, padding=1), nn.ReLU(), nn.Dropout2d(0.5), nn.MaxPool2d(2),
            nn.Conv2d(24, 32, 3, padding=1), nn.ReLU(), nn.Dropout2d(0.5),
            nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(), nn.Dropout2d(0.5))
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.features(x).amax((2, 3)))


def build():
    torch.manual_seed(0)
    return SectionNet()


def main():
    from _hundredsixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = sections(1200, g)
    xva, yva = sections(400, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "sections_log.jsonl", "w")
    for epoch in range(8):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot, hit = 0.0, 0
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            logits = model(xtr[idx])
            loss = F.cross_entropy(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        rec = {"epoch": epoch + 1, "train_loss": round(tot / len(xtr), 4),
               "train_acc": round(hit / len(xtr), 4),
               "val_loss": round(F.cross_entropy(lo, yva).item(), 4),
               "val_acc": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 8, "classes": KINDS}, out / "sectionnet.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["dropout_in_conv"],
           checkpoint="sectionnet.pt", log="sections_log.jsonl",
           what="cave cross-section CNN with nn.Dropout2d(0.5) after every conv",
           complaint="我用一个小CNN给洞穴断面草图分类（潜流管道、锁孔形、峡谷型、崩塌厅四类），"
                     "训练了8个epoch，前3个epoch训练loss一直停在1.39左右不动，之后才慢慢下降，"
                     "最后训练准确率只有0.59，训练loss还有0.83，验证准确率0.77，中间还掉到过0.25。"
                     "这么简单的形状为什么连训练集都学不好？")


if __name__ == "__main__":
    main()
