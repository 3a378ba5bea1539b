"""Denoising autoencoder for scanned form glyphs: 16x16 grey images (10 glyph shapes from line
strokes, random shift and stroke width, values in 0..1), a dense 256-256-96-256-256
autoencoder with a sigmoid output, trained on corrupted inputs (Gaussian noise 0.3, 20 % of
the pixels dropped); the validation feeds corrupted val glyphs and scores the output against
the clean ones. Adam 1e-3, batch 64, 20 epochs. Bug: the loss compares the output with the
*corrupted* input (``mse(model(noisy), noisy)``) instead of the clean glyph, so the network
learns to copy the noise: the val denoising error bottoms out at 0.022 and climbs to 0.029
while the train loss keeps falling (target = clean: 0.006)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

STROKES = torch.tensor([[[2, 3, 13, 3], [13, 3, 13, 13], [2, 13, 13, 13]],
                        [[8, 1, 8, 14], [4, 4, 8, 1], [4, 14, 12, 14]],
                        [[2, 2, 13, 13], [13, 2, 2, 13], [2, 8, 13, 8]],
                        [[3, 2, 3, 13], [3, 2, 12, 7], [12, 7, 3, 13]],
                        [[2, 2, 13, 2], [2, 8, 10, 8], [2, 2, 2, 13]],
                        [[7, 1, 2, 13], [7, 1, 13, 13], [4, 9, 11, 9]],
                        [[2, 13, 13, 2], [2, 2, 2, 13], [13, 2, 13, 13]],
                        [[2, 4, 13, 4], [2, 10, 13, 10], [8, 1, 8, 14]],
                        [[3, 3, 12, 12], [3, 12, 12, 3], [8, 1, 8, 6]],
                        [[2, 7, 8, 1], [8, 1, 13, 7], [2, 7, 13, 7]]], dtype=torch.float32)


def glyphs(n, g):
    k = torch.randint(0, 10, (n,), generator=g)
    seg = STROKES[k] + torch.randint(-1, 2, (n, 1, 2), generator=g).repeat(1, 1, 2)
    yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
    p = torch.stack([xx, yy], -1).reshape(1, 1, 256, 2)
    a, b = seg[..., None, :2], seg[..., None, 2:]
    t = (((p - a) * (b - a)).sum(-1) / ((b - a) ** 2).sum(-1).clamp(min=1e-6)).clamp(0, 1)
    dist = (p - (a + t[..., None] * (b - a))).norm(dim=-1).min(1).values
    width = 0.6 + 0.6 * torch.rand(n, 1, generator=g)
    return torch.sigmoid(4 * (width - dist)), k


class DenseAE(nn.Module):
    def __init__(self, code=96):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, code))
        self.decoder = nn.Sequential(nn.Linear(code, 256), nn.ReLU(), nn.Linear(256, 256),
                                     nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return DenseAE()


def corrupt(x, g):
    keep = (torch.rand(x.shape, generator=g) > 0.2).float()
    return (x + 0.3 * torch.randn(x.shape, generator=g)) * keep


def main():
    from _seventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, _), (vx, _) = glyphs(3000, g), glyphs(600, g)
    vnoisy = corrupt(vx, torch.Generator().manual_seed(1))
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "dae_history.jsonl", "w") as f:
        for epoch in range(20):
            model.train()
            perm, tot = torch.randperm(len(x), generator=g), 0.0
            for i in range(0, len(x), 64):
                clean = x[perm[i:i + 64]]
                noisy = corrupt(clean, g)
                loss = F.mse_loss(model(noisy), noisy)  # BUG: target should be `clean`
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(clean)
            model.eval()
            with torch.no_grad():
                vloss = F.mse_loss(model(vnoisy), vx).item()  # denoised vs clean
            f.write(json.dumps({"epoch": epoch, "train_mse": tot / len(x),
                                "val_denoise_mse": vloss}) + "\n")
            print(epoch, round(tot / len(x), 5), round(vloss, 5))
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "dae.pt")
    finish(out, __file__, (vnoisy[:128], vx[:128]), causes=["labels_wrong"],
           checkpoint="dae.pt", log="dae_history.jsonl",
           what="denoising AE whose loss target is the corrupted input, not the clean image",
           complaint="my denoising autoencoder outputs still look noisy, train loss goes down "
                     "but the val denoising error gets worse after a few epochs")


if __name__ == "__main__":
    main()
