"""Plain torch: an autoencoder squeezes the thickness profile of a gold leaf packet, as a
goldbeater's beta-gauge reads it across the packet after each beating stage, into 6 numbers
for the workshop's records (and to flag packets it cannot rebuild). 96 readings across the
packet (µm of gold, summed over the leaves between the skins). A beating stage spreads the
gold from the centre, where the hammer falls, outwards: the profile is a flattened dome
whose height falls and width grows with the number of hammer blows (800-6000), the hammer
weight (7 / 12 / 15 lb) and the gold's fineness (22-24 ct, softer gold spreads faster);
the packet edge is set by its width (70-95 % of the span); an off-centre beater leaves the
dome shifted and tilted; gauge noise ± 0.5 %.
Input: (96,) thickness / 4 µm. Model: encoder 96→64→ReLU→24→ReLU→6, decoder
6→24→ReLU→64→ReLU→96; MSE, Adam 2e-3 with ReduceLROnPlateau(factor 0.5, patience 2) on val
MSE, batch 40, 30 epochs, 1600 profiles, validation on 400.
Healthy; numbers in the README.
Log: JSON lines per epoch ``packet_ae.jsonl`` (``epoch`` / ``lr`` / ``recon_mse`` /
``val_recon_mse`` / ``val_max_err_um``); checkpoint ``packet_ae.ckpt`` with keys
``autoencoder`` / ``adam`` / ``plateau`` / ``epoch`` / ``um_scale`` / ``code_size``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 96


def packets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    pos = torch.linspace(-1, 1, N)
    blows = 800 + 5200 * r(n, 1)
    hammer = torch.tensor([7.0, 12.0, 15.0])[torch.randint(0, 3, (n,), generator=g)].unsqueeze(1)
    carat = 22 + 2 * r(n, 1)
    spread = (blows * hammer / 12) ** 0.5 / 40 * (1 + 0.15 * (carat - 23))  # 0.7 .. 2.5
    width = 0.70 + 0.25 * r(n, 1)
    shift = 0.15 * (r(n, 1) - 0.5)
    tilt = 0.3 * (r(n, 1) - 0.5)
    sigma = 0.25 + 0.25 * spread
    dome = torch.exp(-0.5 * ((pos - shift) / sigma) ** 4)
    height = 4.0 / (0.5 + spread)
    edge = torch.sigmoid((width - (pos - shift).abs()) / 0.03)
    prof = height * dome * edge * (1 + tilt * pos)
    prof = prof * (1 + 0.005 * torch.randn(n, N, generator=g))
    return prof / 4.0


class PacketAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(N, 64), nn.ReLU(), nn.Linear(64, 24), nn.ReLU(),
                                     nn.Linear(24, 6))
        self.decoder = nn.Sequential(nn.Linear(6, 24), nn.ReLU(), nn.Linear(24, 64), nn.ReLU(),
                                     nn.Linear(64, N))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return PacketAE()


def main():
    from _fourhundredsecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = packets(1600, g), packets(400, g)
    print("variance", xtr.var(0).mean().item(), "max", xtr.max().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "packet_ae.jsonl", "w") as log:
        for epoch in range(30):
            model.train()
            tot = 0.0
            for (xb,) in dl:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                rv = model(xva)
            val = F.mse_loss(rv, xva).item()
            rec = {"epoch": epoch, "lr": opt.param_groups[0]["lr"],
                   "recon_mse": round(tot / len(xtr), 7), "val_recon_mse": round(val, 7),
                   "val_max_err_um": round(4 * (rv - xva).abs().max().item(), 5)}
            log.write(json.dumps(rec) + "\n")
            print(rec)
            plateau.step(val)
    torch.save({"autoencoder": model.state_dict(), "adam": opt.state_dict(),
                "plateau": plateau.state_dict(), "epoch": 30, "um_scale": 4.0, "code_size": 6},
               out / "packet_ae.ckpt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[],
           checkpoint="packet_ae.ckpt", log="packet_ae.jsonl",
           what="autoencoder compressing a gold leaf packet's beta-gauge thickness profile"
                " to 6 numbers (healthy)")


if __name__ == "__main__":
    main()
