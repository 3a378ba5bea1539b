"""Plain torch: a 2-D CNN with batch norm checks the woven wire cloth a sieve-maker stretches
over a bentwood rim, from a 16 × 16 backlit patch of the inspection camera (brass wire on a
light box: wires dark, apertures light). Three defects, any number at once (multi-label):
a broken wire (one wire stops part-way across the patch), a wide aperture (a wire left out of
the weave, so two neighbouring gaps merge) and slack weave (the warp wires wander sideways,
as when the cloth was not tensioned on the loom). Mesh pitch 3-4 px, wire width and
brightness vary from cloth to cloth, with sensor noise and uneven backlight.
Input: (1, 16, 16) brightness. Model: Conv2d 1→16 (k3) + BN + ReLU + MaxPool2, Conv2d 16→32
(k3) + BN + ReLU + MaxPool2, Linear 512→64 + ReLU, Linear 64→3 (one logit per defect);
Adam 3e-3, batch 32, 16 epochs, 1600 patches, validation on 400.
The bug: the binary cross-entropy is written out by hand on ``p = torch.sigmoid(logits)`` as
``-(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()``. Once the net grows sure of a
patch, sigmoid gives exactly 1.0 (or 0.0) in float32, the log is -inf, 0 × -inf is NaN, and
NaN gradients wipe the weights: val BCE 0.331 → 0.061 and
exact-match 0.61 → 0.95 by epoch 2, then a NaN loss late in epoch 3 (between logged steps 190
and 200) and from there on NaN val BCE, F1 0 on all three defects and exact-match 0.3175
(the share of clean patches) every epoch (control, the same line through
``p.clamp(1e-6, 1 - 1e-6)``: val BCE 0.331 →
0.0092, F1 0.996 / 1.0 / 1.0, exact-match 0.9975 at epoch 15).
Log: TSV every 10 steps ``mesh_steps.tsv`` (``step`` / ``epoch`` / ``bce``) and a per-epoch
TSV ``mesh_epochs.tsv`` (``epoch`` / ``val_bce`` / ``val_f1_broken`` / ``val_f1_wide`` /
``val_f1_slack`` / ``val_exact``, named as the log in the truth); checkpoint
``riddle_cnn.pt`` with keys ``weights`` / ``adam_state`` / ``epoch`` / ``defects`` /
``patch_px``."""
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

DEFECTS = ["broken_wire", "wide_aperture", "slack_weave"]
S = 16


def patches(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    y = (r(n, 3) < torch.tensor([0.3, 0.3, 0.3])).float()
    xs = torch.arange(S).float()
    img = torch.empty(n, S, S)
    for i in range(n):
        pitch = 3.0 + r(1).item()
        wire = 0.25 + 0.15 * r(1).item()
        off_x, off_y = pitch * r(1).item(), pitch * r(1).item()
        wander = (1.2 * torch.sin(xs / 2.5 + 6.28 * r(1).item())) if y[i, 2] else torch.zeros(S)
        cx = (xs.view(1, S) - off_x - wander.view(S, 1)) / pitch  # warp wires, per row
        cy = (xs.view(S, 1) - off_y) / pitch  # weft wires
        dx = (cx - cx.round()).abs() * pitch
        dy = (cy - cy.round()).abs() * pitch
        warp = torch.exp(-(dx / (wire * pitch)) ** 2)
        weft = torch.exp(-(dy / (wire * pitch)) ** 2)
        if y[i, 1]:  # one warp wire missing
            k = int(torch.randint(1, 4, (1,), generator=g))
            warp = warp * (cx.round() != k).float()
        if y[i, 0]:  # one weft wire broken part-way across
            k = int(torch.randint(1, 4, (1,), generator=g))
            stop = int(torch.randint(3, 12, (1,), generator=g))
            cut = ((cy.round() == k) & (xs.view(1, S) > stop)).float()
            weft = weft * (1 - cut)
        wires = torch.maximum(warp, weft)
        light = 0.8 + 0.2 * r(1).item() + 0.1 * (xs.view(1, S) / S - 0.5)
        img[i] = light * (1 - (0.6 + 0.3 * r(1).item()) * wires)
    img = img + 0.05 * torch.randn(n, S, S, generator=g)
    return ((img - 0.55) / 0.25).unsqueeze(1), y


class MeshCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(512, 64), nn.ReLU(), nn.Linear(64, 3))

    def forward(self, x):
        return self.head(self.features(x))


def build():
    torch.manual_seed(0)
    return MeshCNN()


def bce(logits, y):
    p = torch.sigmoid(logits)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()  # binary cross-entropy, per defect


def f1(pred, y):
    tp = (pred * y).sum().item()
    return 2 * tp / max(pred.sum().item() + y.sum().item(), 1)


def main():
    from _threehundredseventyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = patches(1600, g)
    xva, yva = patches(400, g)
    print("defect share", ytr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    step = 0
    with open(out / "mesh_steps.tsv", "w") as fs, open(out / "mesh_epochs.tsv", "w") as fe:
        fs.write("step\tepoch\tbce\n")
        fe.write("epoch\tval_bce\tval_f1_broken\tval_f1_wide\tval_f1_slack\tval_exact\n")
        for epoch in range(16):
            model.train()
            for xb, yb in dl:
                loss = bce(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    fs.write(f"{step}\t{epoch}\t{loss.item():.6g}\n")
                step += 1
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = (logits > 0).float()
            row = [nn.functional.binary_cross_entropy_with_logits(logits, yva).item()]
            row += [f1(pred[:, k], yva[:, k]) for k in range(3)]
            row.append((pred == yva).all(1).float().mean().item())
            fe.write(f"{epoch}\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, [round(v, 4) if not math.isnan(v) else v for v in row])
    torch.save({"weights": model.state_dict(), "adam_state": opt.state_dict(), "epoch": 16,
                "defects": DEFECTS, "patch_px": S}, out / "riddle_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["numerical_log_or_div_zero"],
           checkpoint="riddle_cnn.pt", log="mesh_epochs.tsv",
           what="2-D CNN with BN, multi-label defects in a sieve-maker's woven wire cloth;"
                " hand-written BCE takes log(sigmoid) with no clamp or eps",
           complaint="Our mesh defect checker was doing great, 95 % of patches fully right after"
                     " three epochs, then in the fourth epoch the loss printed nan and never came"
                     " back. Since then it says every patch is clean, F1 is 0 for all three defects."
                     " Same data, nothing changed, it happens at the same place every run.")


if __name__ == "__main__":
    main()
