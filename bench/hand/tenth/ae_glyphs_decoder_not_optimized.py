"""A convolutional autoencoder for 16x16 grey glyphs (2-4 random strokes each: horizontal and
vertical bars and diagonals, blurred), encoder Conv 1-16-32 (stride 2) -> Linear to a 32-d
code, decoder Linear -> ConvTranspose 32-16-1 -> sigmoid, pixel BCE, Adam 2e-3, batch 64, 10
epochs, a JSON-lines log. Bug: the script came from a version that reused a trained decoder and
only fitted the encoder, and the optimizer line stayed ``Adam(model.encoder.parameters())``:
the decoder keeps its random weights, and the encoder can only steer a fixed random decoder:
the pixel BCE goes 0.652 -> 0.625 in 10 epochs, val 0.624, far above the 0.228 of predicting
the mean pixel everywhere (all parameters in Adam: 0.142, val 0.140 and still falling)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


def glyphs(n, g):
    img = torch.zeros(n, 1, 16, 16)
    for i in range(n):
        for _ in range(int(torch.randint(2, 5, (1,), generator=g))):
            kind = int(torch.randint(0, 3, (1,), generator=g))
            a, b = (int(v) for v in torch.randint(1, 12, (2,), generator=g))
            ln = int(torch.randint(4, 15 - max(a, b) + 1, (1,), generator=g)) if max(a, b) < 11 \
                else 3
            if kind == 0:
                img[i, 0, a, b:b + ln] = 1
            elif kind == 1:
                img[i, 0, a:a + ln, b] = 1
            else:
                for k in range(ln):
                    img[i, 0, min(a + k, 15), min(b + k, 15)] = 1
    blur = torch.tensor([[1., 2., 1.], [2., 4., 2.], [1., 2., 1.]]).view(1, 1, 3, 3) / 16
    return F.conv2d(img, blur, padding=1).clamp(0, 1)


class ConvAE(nn.Module):
    def __init__(self, code=32):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
            nn.Flatten(), nn.Linear(32 * 4 * 4, code))
        self.decoder = nn.Sequential(
            nn.Linear(code, 32 * 4 * 4), nn.ReLU(), nn.Unflatten(1, (32, 4, 4)),
            nn.ConvTranspose2d(32, 16, 4, 2, 1), nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 4, 2, 1), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return ConvAE()


def main():
    from _tenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = glyphs(3000, g)
    vx = glyphs(500, g)
    base = F.binary_cross_entropy(x.mean().expand_as(vx), vx).item()  # predict the mean pixel
    model = build()
    opt = torch.optim.Adam(model.encoder.parameters(), lr=2e-3)  # BUG: decoder left out
    log = open(out / "ae_log.jsonl", "w")
    for epoch in range(10):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(x), generator=g).split(64):
            loss = F.binary_cross_entropy(model(x[idx]), x[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vl = F.binary_cross_entropy(model(vx), vx).item()
        rec = {"epoch": epoch, "recon_loss": tot / len(x), "val_recon_loss": vl,
               "val_loss_mean_pixel": base}
        log.write(json.dumps(rec) + "\n")
        print({k: round(v, 5) for k, v in rec.items()})
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "conv_ae.pt")
    finish(out, __file__, (vx[:64], vx[:64]), causes=["params_not_in_optimizer"],
           checkpoint="conv_ae.pt", log="ae_log.jsonl",
           what="conv autoencoder, Adam given only the encoder's parameters",
           complaint="glyph autoencoder: the reconstruction loss is stuck around 0.62 for 10 "
                     "epochs (0.652 -> 0.625), worse than a flat grey image (0.228)")


if __name__ == "__main__":
    main()
