"""Plain torch: an autoencoder squeezes the depth profile of a carved spoon bowl, measured
across its widest point with a dial gauge on a sliding bar (32 stations, mm), into 6
numbers, so a spoonwright can sort a season's spoons by bowl shape and flag bowls that
stray from the pattern. A bowl profile follows the hook knife: depth D (3-9 mm) times
(1 - |u|^p)^(1/q) over the bowl width, p the flatness of the bottom (1.6-4), q the
steepness of the walls, the deepest point pushed off-centre by the carver's stronger hand
(up to 15 % of the width), a bowl narrower than the bar (the stations past the rim read
0), shallow knife facets (5-9 across the bowl, 0.05-0.2 mm), and 0.04 mm gauge noise.
Input: (32,) depth / 5 mm. Model: encoder 32→48→ELU→24→ELU→6, decoder 6→24→ELU→48→ELU→32;
MSE, Adam 3e-3 with ReduceLROnPlateau on the val loss (×0.5, patience 3), batch 64, 60
epochs, 1600 bowls, validation on 400.
Healthy; numbers in the README.
Log: TSV per epoch ``bowl_ae.tsv`` (``epoch`` / ``lr`` / ``recon_train`` / ``recon_val`` /
``val_max_dev_mm``); checkpoint ``bowl_ae.pth`` with keys ``encoder`` / ``decoder`` /
``opt_state`` / ``sched_state`` / ``epoch`` / ``depth_scale_mm``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

K = 32
SCALE = 5.0


def bowls(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    x = torch.linspace(-1, 1, K)
    width = 0.75 + 0.25 * r(n, 1)
    shift = 0.15 * (2 * r(n, 1) - 1)
    u = ((x - shift * width) / width).clamp(-1, 1)
    depth = 3 + 6 * r(n, 1)
    p = 1.6 + 2.4 * r(n, 1)
    q = 1.0 + 1.5 * r(n, 1)
    prof = depth * (1 - u.abs() ** p).clamp(min=0) ** (1 / q)
    facets = 5 + (5 * r(n, 1)).floor()
    facet = (0.05 + 0.15 * r(n, 1)) * (((u + 1) * facets / 2) % 1 - 0.5).abs()
    prof = (prof - facet * (prof > 0)).clamp(min=0)
    prof = prof + 0.04 * torch.randn(n, K, generator=g)
    return prof / SCALE


class BowlAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(K, 48), nn.ELU(), nn.Linear(48, 24), nn.ELU(),
                                     nn.Linear(24, 6))
        self.decoder = nn.Sequential(nn.Linear(6, 24), nn.ELU(), nn.Linear(24, 48), nn.ELU(),
                                     nn.Linear(48, K))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return BowlAE()


def main():
    from _threehundredninetyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = bowls(1600, g), bowls(400, g)
    print("profile var", xtr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=3)
    with open(out / "bowl_ae.tsv", "w") as log:
        log.write("epoch\tlr\trecon_train\trecon_val\tval_max_dev_mm\n")
        for epoch in range(60):
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
                rec = model(xva)
            val = F.mse_loss(rec, xva).item()
            dev = ((rec - xva).abs().amax(1) * SCALE).mean().item()
            lr = opt.param_groups[0]["lr"]
            sched.step(val)
            log.write(f"{epoch}\t{lr:.3g}\t{tot / len(xtr):.6g}\t{val:.6g}\t{dev:.4f}\n")
            print(epoch, lr, tot / len(xtr), val, dev)
    torch.save({"encoder": model.encoder.state_dict(), "decoder": model.decoder.state_dict(),
                "opt_state": opt.state_dict(), "sched_state": sched.state_dict(), "epoch": 60,
                "depth_scale_mm": SCALE}, out / "bowl_ae.pth")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="bowl_ae.pth",
           log="bowl_ae.tsv",
           what="autoencoder squeezing a carved spoon bowl's depth profile into 6 numbers"
                " (healthy)")


if __name__ == "__main__":
    main()
