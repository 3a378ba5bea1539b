"""Convolutional autoencoder on 16x16 shape images (squares and discs), BatchNorm in the
encoder, MSE reconstruction (healthy)."""
import csv

import torch
import torch.nn as nn


def shapes(n, g):
    yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
    cx, cy = 4 + 8 * torch.rand(2, n, 1, 1, generator=g)
    r = 2 + 3 * torch.rand(n, 1, 1, generator=g)
    disc = ((xx - cx) ** 2 + (yy - cy) ** 2 < r ** 2).float()
    square = (((xx - cx).abs() < r) & ((yy - cy).abs() < r)).float()
    kind = torch.rand(n, 1, 1, generator=g) < 0.5
    img = torch.where(kind, disc, square) + 0.05 * torch.randn(n, 16, 16, generator=g)
    return img.unsqueeze(1)


class ConvAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU())
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1), nn.ReLU(),
            nn.ConvTranspose2d(16, 1, 4, stride=2, padding=1))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return ConvAE()


def main():
    from _hand import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = shapes(2048, g), shapes(256, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.MSELoss()
    rows = []
    for epoch in range(8):
        model.train()
        for _ in range(len(train) // 64):
            x = train[torch.randint(0, len(train), (64,), generator=g)]
            loss = loss_fn(model(x), x)
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            val_loss = loss_fn(model(val), val).item()
        rows.append({"epoch": epoch, "loss": loss.item(), "val_loss": val_loss})
    with open(out / "history.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["epoch", "loss", "val_loss"])
        w.writeheader()
        w.writerows(rows)
    print("val mse", val_loss, "pixel variance", val.var().item())
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict()}, out / "ae.pt")
    finish(out, __file__, (val[:64], val[:64]), causes=[], checkpoint="ae.pt", log="history.csv",
           what="conv autoencoder with BN, Adam 2e-3, MSE: healthy")


if __name__ == "__main__":
    main()
