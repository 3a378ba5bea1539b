"""Plain torch: a convolutional autoencoder compresses 16×16 RGB patches of photographed Roman
floor mosaics (for a restorers' catalogue: the 32-number code is used to find similar panels).
A patch is a grid of 4×4-px tesserae, each one flat colour from a small palette of stone
tones (a guilloche band, a meander or a field of one colour with a few odd stones), with dark
grout lines between the stones, shading from the photograph's light fall-off and noise.
Encoder Conv(3→16, stride 2)-ReLU-Conv(16→32, stride 2)-ReLU-Linear(512→32); decoder the
mirror with ConvTranspose; Adam 2e-3, batch 64, 15 epochs of 1 536 patches; the loss is the
pixel MSE plus an L1 penalty on the weights "to keep the code sparse", logged per epoch as
``epoch,recon_mse,total_loss,val_mse`` (CSV).
The bug: the L1 strength is written ``l1_lambda = 1e-2`` (meant 1e-6): summed over ~51 000
weights the penalty is far larger than the reconstruction error and drives the weights to
zero; the decoder outputs nearly the same flat brownish-grey patch for every input. Result:
train recon MSE 1.22 → 0.72, val MSE 1.19, 1.11, 1.00, 0.88, 0.81, then creeping 0.78 → 0.73
at epoch 15 (the variance of the patches is 0.83; predicting each pixel's mean over the
patches gives 0.47), total loss 17.2 → 0.94, mostly the penalty at first.
Control (``l1_lambda = 1e-6``): val MSE 0.52 after epoch 1, 0.16 at epoch 5, 0.055 at epoch 15."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

PALETTE = torch.tensor([[0.85, 0.80, 0.70], [0.55, 0.30, 0.20], [0.20, 0.20, 0.25],
                        [0.75, 0.60, 0.30], [0.35, 0.45, 0.55], [0.60, 0.60, 0.58]])


def patches(n, g):
    kind = torch.randint(0, 3, (n,), generator=g)
    cols = torch.randint(0, len(PALETTE), (n, 3), generator=g)
    r, c = torch.meshgrid(torch.arange(4), torch.arange(4), indexing="ij")
    grids = []
    for i in range(n):
        if kind[i] == 0:  # guilloche band: two colours alternating on the diagonal
            idx = torch.where((r + c) % 2 == 0, cols[i, 0], cols[i, 1])
        elif kind[i] == 1:  # meander: a stepped line in a third colour
            idx = torch.where((r == (c + int(cols[i, 2])) % 4) | (r == 0), cols[i, 2], cols[i, 0])
        else:  # field with odd stones
            idx = cols[i, 0].expand(4, 4).clone()
            odd = torch.rand(4, 4, generator=g) < 0.15
            idx[odd] = cols[i, 1]
        grids.append(PALETTE[idx].permute(2, 0, 1))
    img = F.interpolate(torch.stack(grids), scale_factor=4, mode="nearest")
    grout = torch.ones(16)
    grout[::4] = 0.45
    img = img * grout.view(1, 1, 16, 1) * grout.view(1, 1, 1, 16)
    light = 0.8 + 0.4 * torch.rand(n, 1, 1, 1, generator=g)
    img = img * light + 0.03 * torch.randn(img.shape, generator=g)
    return (img - 0.5) / 0.25


class TileAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(3, 16, 4, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 4, 2, 1),
                                 nn.ReLU(), nn.Flatten(), nn.Linear(512, 32))
        self.dec = nn.Sequential(nn.Linear(32, 512), nn.ReLU(), nn.Unflatten(1, (32, 4, 4)),
                                 nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(),
                                 nn.ConvTranspose2d(16, 3, 4, 2, 1))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return TileAE()


def main():
    from _hundredninetyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = patches(1536, g), patches(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    l1_lambda = 1e-2
    rows = []
    for epoch in range(15):
        model.train()
        perm = torch.randperm(1536, generator=g)
        rec_tot = tot = 0.0
        for i in range(0, 1536, 64):
            xb = xtr[perm[i:i + 64]]
            rec = F.mse_loss(model(xb), xb)
            loss = rec + l1_lambda * sum(p.abs().sum() for p in model.parameters())
            opt.zero_grad()
            loss.backward()
            opt.step()
            rec_tot += rec.item() / 24
            tot += loss.item() / 24
        model.eval()
        with torch.no_grad():
            vm = F.mse_loss(model(xva), xva).item()
        rows.append([epoch + 1, round(rec_tot, 4), round(tot, 4), round(vm, 4)])
        print(rows[-1])
    with open(out / "tile_ae.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "recon_mse", "total_loss", "val_mse"])
        w.writerows(rows)
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 15,
                "l1_lambda": l1_lambda}, out / "tile_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["over_regularization"],
           checkpoint="tile_ae.pt", log="tile_ae.csv",
           what="mosaic-patch conv autoencoder with an L1 weight penalty 1e-2",
           complaint=("Autoencoder for our mosaic photo catalogue (16x16 patches of tesserae, "
                      "32-d code). The reconstructions are all the same blurry grey-brown square, "
                      "whatever patch goes in: val MSE creeps from 1.19 to 0.73 in 15 epochs, "
                      "worse than just outputting the average patch. Train MSE the same. I tried "
                      "15 epochs instead of 5, no change. Is the bottleneck too small?"))


if __name__ == "__main__":
    main()
