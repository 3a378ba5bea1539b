"""Weight-tied autoencoder compressing 64-channel absorption spectra to 8 numbers: the
decoder reuses the encoder's weight matrices transposed (``F.linear(h, W.t())``), with its
own biases. MSE reconstruction, Adam 2e-3, batch 64, CSV log per epoch (healthy)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def spectra(n, g):
    wl = torch.linspace(0, 1, 64)
    centers = torch.tensor([0.15, 0.3, 0.45, 0.6, 0.75, 0.9])
    conc = torch.rand(n, 6, generator=g) ** 2
    bands = torch.exp(-((wl[None, :] - centers[:, None]) / 0.05) ** 2)  # (6, 64)
    baseline = 0.2 * torch.rand(n, 1, generator=g) * wl[None]
    x = conc @ bands + baseline + 0.01 * torch.randn(n, 64, generator=g)
    return (x - 0.25) / 0.3


class TiedAE(nn.Module):
    def __init__(self, sizes=(64, 32, 8)):
        super().__init__()
        pairs = zip(sizes[:-1], sizes[1:], strict=True)
        self.enc = nn.ModuleList(nn.Linear(a, b) for a, b in pairs)
        self.dec_bias = nn.ParameterList(nn.Parameter(torch.zeros(a)) for a in sizes[:-1])

    def encode(self, x):
        for i, layer in enumerate(self.enc):
            x = layer(x)
            if i < len(self.enc) - 1:
                x = torch.tanh(x)
        return x

    def forward(self, x):
        h = self.encode(x)
        for i in reversed(range(len(self.enc))):
            h = F.linear(h, self.enc[i].weight.t(), self.dec_bias[i])
            if i > 0:
                h = torch.tanh(h)
        return h


def build():
    torch.manual_seed(0)
    return TiedAE()


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, vx = spectra(6000, g), spectra(1000, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    with open(out / "ae_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_mse", "val_mse"])
        for epoch in range(25):
            perm = torch.randperm(len(x), generator=g)
            tot = 0.0
            for i in range(0, len(x), 64):
                xb = x[perm[i:i + 64]]
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            with torch.no_grad():
                val = F.mse_loss(model(vx), vx).item()
            w.writerow([epoch, tot / len(x), val])
    print("val mse", round(val, 5), "input var", round(vx.var().item(), 4))
    torch.save({"model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "epoch": epoch},
               out / "tied_ae.pt")
    finish(out, __file__, (vx[:128], vx[:128]), causes=[], checkpoint="tied_ae.pt",
           log="ae_log.csv", what="weight-tied autoencoder on spectra: healthy")


if __name__ == "__main__":
    main()
