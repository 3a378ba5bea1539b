"""Plain torch: a 1-D convolutional autoencoder compresses estuarine CTD casts (salinity and
temperature at 40 depth steps, 2 channels) to an 8-number code, for flagging odd casts later.
A cast is a two-layer water column: fresh, warm river water over a salt wedge, with the
depth and thickness of the salt-wedge interface and the surface/bottom salinities set by river flow and the tide,
plus sensor noise; each channel scaled with training mean/std per depth. Conv1d 2→16→32
(stride 2, ReLU) → Linear 320→8 → Linear 8→320 → ConvTranspose1d 32→16→2, MSE, Adam 2e-3 with
ReduceLROnPlateau(factor 0.5, patience 2) on val MSE, batch 64, 24 epochs of 2048 casts,
validation on 512 casts (val MSE, val MAE in salinity units).
Log: JSON lines per epoch (``epoch`` / ``recon_mse`` / ``val_recon_mse`` / ``val_sal_mae`` /
``lr``) in ``history.jsonl``; checkpoint ``ctd_ae.pt`` with keys ``encoder_decoder`` /
``optimiser`` / ``plateau`` / ``epochs`` / ``depth_mean`` / ``depth_std``.
Healthy; numbers in the README."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

D = 40


def casts(n, g):
    z = torch.linspace(0, 1, D)
    flow = torch.rand(n, 1, generator=g)
    depth = 0.2 + 0.5 * flow + 0.1 * torch.rand(n, 1, generator=g)
    width = 0.03 + 0.08 * torch.rand(n, 1, generator=g)
    s_top = 2 + 14 * (1 - flow) * torch.rand(n, 1, generator=g)
    s_bot = 26 + 8 * torch.rand(n, 1, generator=g)
    step = torch.sigmoid((z - depth) / width)
    sal = s_top + (s_bot - s_top) * step
    t_top = 14 + 8 * torch.rand(n, 1, generator=g)
    temp = t_top - (2 + 3 * torch.rand(n, 1, generator=g)) * step
    x = torch.stack([sal, temp], 1)
    return x + 0.15 * torch.randn(n, 2, D, generator=g)


class CastAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv1d(2, 16, 5, 2, 2), nn.ReLU(), nn.Conv1d(16, 32, 5, 2, 2),
                                 nn.ReLU(), nn.Flatten(), nn.Linear(320, 8))
        self.dec_in = nn.Linear(8, 320)
        self.dec = nn.Sequential(nn.ReLU(), nn.ConvTranspose1d(32, 16, 4, 2, 1), nn.ReLU(),
                                 nn.ConvTranspose1d(16, 2, 4, 2, 1))

    def forward(self, x):
        return self.dec(self.dec_in(self.enc(x)).view(-1, 32, 10))


def build():
    torch.manual_seed(0)
    return CastAE()


def main():
    from _twohundredsixtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, rva = casts(2048, g), casts(512, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "history.jsonl", "w") as f:
        for epoch in range(1, 25):
            model.train()
            tot = 0.0
            for (xb,) in loader:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                rec = model(xva)
            vmse = F.mse_loss(rec, xva).item()
            sal_mae = ((rec - xva) * std)[:, 0].abs().mean().item()
            plateau.step(vmse)
            row = {"epoch": epoch, "recon_mse": round(tot / len(xtr), 5),
                   "val_recon_mse": round(vmse, 5), "val_sal_mae": round(sal_mae, 4),
                   "lr": opt.param_groups[0]["lr"]}
            print(row)
            f.write(json.dumps(row) + "\n")
    torch.save({"encoder_decoder": model.state_dict(), "optimiser": opt.state_dict(),
                "plateau": plateau.state_dict(), "epochs": 24, "depth_mean": mean,
                "depth_std": std}, out / "ctd_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="ctd_ae.pt",
           log="history.jsonl",
           what="1-D conv autoencoder for estuarine CTD salinity/temperature casts (healthy)")


if __name__ == "__main__":
    main()
