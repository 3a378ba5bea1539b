"""Plain torch: an MLP autoencoder compresses the thickness profile of a beaten gold leaf,
measured across the leaf at 64 points by a light-transmission scan (thickness in nm; a good
23-carat leaf is about 100 nm), into 6 numbers, so that a gold beater's batch check can flag
leaves whose profile the code cannot rebuild. A profile is a mean thickness, a wedge (the
packet was beaten off-centre), a dome or dish from the beating pattern, the thin band where the
hammer lapped, and a few pin-holes (sharp thin spots), plus scan noise. Profiles are scaled by
a fixed 100 nm and centred. Linear 64→128-ReLU-128→32-ReLU-32→6 encoder, mirror decoder, MSE,
Adam, batch 64, 25 epochs of 3000 leaves, validation on 600 (recon MSE, and the recon error in
nm).
The bug: ``LR = 2e-6  # the profiles are tiny numbers (fractions of 100 nm), keep the steps
small``, a learning rate a thousand times too small for Adam on this net.
Result: val recon 0.0325 → 0.0308 (scaled; the profiles' variance is 0.028), val error
12.98 → 12.50 nm, train recon 0.0315 → 0.0298 in 25 epochs.
Control (``LR = 2e-3``): val recon 0.0123 → 0.0091, val error 5.55 → 4.0-4.2 nm.
Log: JSON lines per epoch ``leaf_ae.jsonl`` (``epoch`` / ``recon`` / ``val_recon`` /
``val_err_nm``); checkpoint ``leaf_ae.tar`` with keys ``encoder`` / ``decoder`` /
``optim`` / ``epoch`` / ``centre`` / ``scale_nm``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

POINTS = 64
LR = 2e-6  # the profiles are tiny numbers (fractions of 100 nm), keep the steps small


def leaves(n, g):
    u = torch.linspace(-1, 1, POINTS)[None]
    mean = 90 + 25 * torch.rand(n, 1, generator=g)
    wedge = 15 * torch.randn(n, 1, generator=g)
    dome = 20 * torch.randn(n, 1, generator=g)
    lap_at = -0.6 + 1.2 * torch.rand(n, 1, generator=g)
    lap = 12 * torch.rand(n, 1, generator=g) * torch.exp(-((u - lap_at) / 0.12) ** 2)
    prof = mean + wedge * u + dome * (u ** 2 - 1 / 3) - lap
    holes = torch.rand(n, POINTS, generator=g) < 0.02
    prof = torch.where(holes, prof * 0.3, prof)
    return prof + 1.5 * torch.randn(n, POINTS, generator=g)


class LeafAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(POINTS, 128), nn.ReLU(), nn.Linear(128, 32),
                                     nn.ReLU(), nn.Linear(32, 6))
        self.decoder = nn.Sequential(nn.Linear(6, 32), nn.ReLU(), nn.Linear(32, 128), nn.ReLU(),
                                     nn.Linear(128, POINTS))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return LeafAE()


def main():
    from _twohundredseventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ptr = leaves(3000, g)
    pva = leaves(600, g)
    centre = ptr.mean(0)
    xtr, xva = (ptr - centre) / 100, (pva - centre) / 100
    print("profile var (scaled)", xva.var().item())
    torch.manual_seed(1)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    with open(out / "leaf_ae.jsonl", "w") as f:
        for epoch in range(25):
            model.train()
            order = torch.randperm(3000)
            tot, nb = 0.0, 0
            for b in range(0, 3000, 64):
                xb = xtr[order[b:b + 64]]
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item()
                nb += 1
            model.eval()
            with torch.no_grad():
                r = model(xva)
            rec = {"epoch": epoch, "recon": round(tot / nb, 7),
                   "val_recon": round(F.mse_loss(r, xva).item(), 7),
                   "val_err_nm": round(((r - xva).abs() * 100).mean().item(), 3)}
            if epoch % 4 == 0 or epoch == 24:
                print(rec)
            f.write(json.dumps(rec) + "\n")
    torch.save({"encoder": model.encoder.state_dict(), "decoder": model.decoder.state_dict(),
                "optim": opt.state_dict(), "epoch": 25, "centre": centre, "scale_nm": 100.0},
               out / "leaf_ae.tar")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["lr_too_low"],
           checkpoint="leaf_ae.tar", log="leaf_ae.jsonl",
           what="MLP autoencoder for gold-leaf thickness profiles trained at a tiny learning rate",
           complaint=COMPLAINT)


COMPLAINT = ("金箔厚度剖面的自编码器（64 个点压到 6 个数）训练了 25 个 epoch，重建误差几乎没动，"
             "曲线平得像直线，重建出来的剖面基本就是平均剖面，楔形、穹形都没学出来。"
             "没有报错，也没有 NaN。是网络太小还是数据有问题？")

if __name__ == "__main__":
    main()
