"""Plain torch: an autoencoder learns what a normal cow's fortnight looks like in the
dairymaid's milking records, so that a record it cannot rebuild can be flagged for the
herdsman: 14 days × 2 milkings of yield (l) and milk conductivity (mS/cm), 56 numbers a cow.
Behind the numbers: yield follows the cow's place on her lactation curve (Wood's curve
a·t^b·e^(-ct), days in milk 20-280, parity raising the peak), the morning milking is larger
than the evening one (longer interval, 14 h vs 10 h), a hot spell in the second week cuts
yield by up to 8 % for the whole herd, conductivity sits at 4.6-5.4 mS/cm with a small rise
when yield drops, and the meters read to 0.3 l and 0.08 mS/cm.
Input: (56,) standardised per column with the train mean / std. Model: 56→64→SiLU→24→
SiLU→8 (code) →24→SiLU→64→SiLU→56; MSE on the standardised record, Adam 2e-3 with
OneCycleLR (max 4e-3), batch 128, 30 epochs, 3000 cows, validation on 600.
Healthy; numbers in the README.
Log: TSV per epoch ``herd_ae.tsv`` (``epoch`` / ``lr`` / ``recon_train`` / ``recon_val`` /
``val_yield_err_l``); checkpoint ``ae_fortnight.pth`` with keys ``autoencoder`` / ``opt`` /
``onecycle`` / ``epoch`` / ``col_mean`` / ``col_std``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def fortnights(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    dim0 = 20 + 260 * r(n, 1)
    parity = 1 + (r(n, 1) * 4).floor()
    a = 14 + 3 * (parity.clamp(max=3) - 1) + 2 * torch.randn(n, 1, generator=g)
    t = dim0 + torch.arange(14).float()
    daily = a * t ** 0.2 * torch.exp(-0.004 * t)
    heat = 1 - 0.08 * r(1) * (torch.arange(14) >= 7).float()
    daily = daily * heat
    am, pm = daily * 0.56, daily * 0.44
    yields = torch.stack([am, pm], 2).reshape(n, 28) + 0.3 * torch.randn(n, 28, generator=g)
    base = 4.6 + 0.8 * r(n, 1)
    cond = base + 0.02 * (daily.repeat_interleave(2, 1) * 0.5 - yields).clamp(min=0)
    cond = cond + 0.08 * torch.randn(n, 28, generator=g)
    return torch.cat([yields, cond], 1)


class FortnightAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Linear(56, 64), nn.SiLU(), nn.Linear(64, 24), nn.SiLU(),
                                 nn.Linear(24, 8))
        self.dec = nn.Sequential(nn.Linear(8, 24), nn.SiLU(), nn.Linear(24, 64), nn.SiLU(),
                                 nn.Linear(64, 56))

    def forward(self, x):
        return self.dec(self.enc(x))


def build():
    torch.manual_seed(0)
    return FortnightAE()


def main():
    from _fourhundredeighteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, rva = fortnights(3000, g), fortnights(600, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, total_steps=30 * len(dl))
    with open(out / "herd_ae.tsv", "w") as f:
        f.write("epoch\tlr\trecon_train\trecon_val\tval_yield_err_l\n")
        for epoch in range(30):
            model.train()
            tot = 0.0
            for (xb,) in dl:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                rec = model(xva)
            val = F.mse_loss(rec, xva).item()
            yerr = ((rec - xva)[:, :28] * std[:28]).abs().mean().item()
            f.write(f"{epoch}\t{sched.get_last_lr()[0]:.6g}\t{tot / len(xtr):.6g}\t{val:.6g}"
                    f"\t{yerr:.6g}\n")
            print(epoch, tot / len(xtr), val, yerr)
    torch.save({"autoencoder": model.state_dict(), "opt": opt.state_dict(),
                "onecycle": sched.state_dict(), "epoch": 30, "col_mean": mean, "col_std": std},
               out / "ae_fortnight.pth")
    finish(out, __file__, (xva[:64], xva[:64]), causes=[], checkpoint="ae_fortnight.pth",
           log="herd_ae.tsv",
           what="autoencoder rebuilding a cow's fortnight of milking records (yield and"
                " conductivity) for the dairymaid's herd (healthy)")


if __name__ == "__main__":
    main()
