"""Semiconductor fab, lithography: predicting the overlay error (dx, dy in nm) of a layer at a
measurement site before the wafer reaches the overlay metrology tool, from the site position on
the wafer (x, y in units of the 150 mm radius), the position in the exposure field (fx, fy in
units of the half-field), the wafer's alignment-model residuals read by the scanner (translation
x / y, rotation, magnification, in nm), the chuck (0 / 1) and the exposing scanner (one of 6 in
the bay). Synthetic: overlay = the part of the alignment model the correction misses (60 % of
translation, rotation × y / x, magnification × r), an intrafield lens term (fx², fx·fy), a
wafer-edge roll-off growing with r⁶, a chuck offset, a per-scanner matching offset (σ 3 nm per
axis: the scanners are not perfectly matched) and metrology noise 0.5 nm. The model: an MLP
10-64-64 → ``head`` Linear(64, 2), plus ``scanner_offset``, an ``nn.Embedding(6, 2)`` (zeros at
the start) added to the output, in units of 4 nm. AdamW 3e-3 with two hand-written parameter groups (weight decay
1e-4 for the encoder, none for the head), batch 128, 15 epochs of 6000 sites; a CSV per epoch
with train / val MSE (nm²) and the val 3σ overlay per axis, the number the fab reports.
Bug: ``scanner_offset`` was added to the model (the scanner-matching term) after the parameter
groups were written, and is in neither group, so its 12 weights stay at zero and the ±0.2–4.6 nm
matching offsets (mean square 7.75 nm²) are never learnt: train MSE 11.2 → 9.2 nm² in two epochs,
then 8.0–8.9 for 13 epochs, val MSE 9.42 → 8.72 nm² (overlay variance 17), val 3σ 9.6 / 7.9 nm
(x / y) at epoch 15. The control (``scanner_offset`` in the head's group): val MSE 7.15 after
epoch 1 and 0.44 nm² at epoch 15, 3σ 1.95 / 1.97 nm, train MSE 0.38."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

N_SCANNERS = 6
OV_SCALE_NM = 4.0  # the net works in units of 4 nm
MATCHING_NM = torch.tensor([[3.1, -2.4], [-4.2, 1.5], [0.8, 3.9], [-1.7, -3.6], [4.6, 0.2],
                            [-2.0, 0.9]])


def sites(n, g):
    r = torch.sqrt(torch.rand(n, generator=g)) * 0.98
    th = torch.rand(n, generator=g) * 6.2832
    x, y = r * torch.cos(th), r * torch.sin(th)
    fx, fy = torch.rand(n, generator=g) * 2 - 1, torch.rand(n, generator=g) * 2 - 1
    wafer = torch.randint(0, n // 40, (n,), generator=g)
    wg = torch.Generator().manual_seed(7)
    align = torch.randn(n // 40, 4, generator=wg) * torch.tensor([4.0, 4.0, 3.0, 3.0])
    tx, ty, rot, mag = align[wafer].unbind(1)
    chuck = (wafer % 2).float()
    scanner = torch.randint(0, N_SCANNERS, (n,), generator=g)
    edge = 6 * r ** 6
    dx = 0.6 * tx - 0.5 * rot * y + 0.5 * mag * x + 1.5 * fx ** 2 + edge * torch.cos(th) + 0.8 * chuck
    dy = 0.6 * ty + 0.5 * rot * x + 0.5 * mag * y + 1.2 * fx * fy + edge * torch.sin(th) - 0.8 * chuck
    ov = torch.stack([dx, dy], 1) + MATCHING_NM[scanner] + 0.5 * torch.randn(n, 2, generator=g)
    feats = torch.stack([x, y, fx, fy, tx / 4, ty / 4, rot / 3, mag / 3, chuck, r], 1)
    return feats, scanner, ov


class OverlayNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
        self.head = nn.Linear(64, 2)
        self.scanner_offset = nn.Embedding(N_SCANNERS, 2)  # scanner-to-scanner matching
        nn.init.zeros_(self.scanner_offset.weight)

    def forward(self, x, scanner):
        return self.head(self.encoder(x)) + self.scanner_offset(scanner)


def build():
    torch.manual_seed(0)
    return OverlayNet()


def main():
    from _hundredtwentysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, s, y = sites(7200, g)
    xtr, str_, ytr, xva, sva, yva = x[:6000], s[:6000], y[:6000], x[6000:], s[6000:], y[6000:]
    model = build()
    opt = torch.optim.AdamW([{"params": model.encoder.parameters(), "weight_decay": 1e-4},
                             {"params": model.head.parameters(), "weight_decay": 0.0}], lr=3e-3)
    gen = torch.Generator().manual_seed(1)
    f = open(out / "overlay_train.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_mse_nm2", "val_mse_nm2", "val_3sigma_x_nm", "val_3sigma_y_nm"])
    for epoch in range(15):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen)
        tot = 0.0
        for i in range(0, len(perm), 128):
            idx = perm[i:i + 128]
            loss = F.mse_loss(model(xtr[idx], str_[idx]), ytr[idx] / OV_SCALE_NM)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            res = yva - OV_SCALE_NM * model(xva, sva)
            row = [epoch + 1, round(tot / len(xtr) * OV_SCALE_NM ** 2, 4), round((res ** 2).mean().item(), 4),
                   round(3 * res[:, 0].std().item(), 3), round(3 * res[:, 1].std().item(), 3)]
        w.writerow(row)
        print(row)
    f.close()
    print(model.scanner_offset.weight, yva.var(0))
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 15, "scanners": [f"NXT-{i + 1}" for i in range(N_SCANNERS)],
                "ov_scale_nm": OV_SCALE_NM}, out / "overlay_mlp.pt")
    finish(out, __file__, {"inputs": xva[:256], "scanner": sva[:256], "targets": yva[:256] / OV_SCALE_NM},
           causes=["params_not_in_optimizer"], checkpoint="overlay_mlp.pt",
           log="overlay_train.csv",
           what="overlay MLP, scanner-offset embedding left out of the AdamW parameter groups",
           complaint="The overlay predictor won't get below about 8.6 nm^2 validation MSE; "
                     "3-sigma is 9.6 nm in x and 7.9 nm in y after 15 epochs, and it stopped "
                     "improving after epoch 2 or 3. The fab needs 3-sigma under 3 nm for "
                     "this to be useful for feed-forward. Training MSE is stuck around 8 too.")


if __name__ == "__main__":
    main()
