"""Plain torch: a GRU reads a creel boat's season on one fleet (a string of 40 creels on one
rope, hauled 36 times from April to October) and gives, for every haul, the expected lobster
catch per 10 creels, so the skipper can tell a poor haul from a fished-out ground. Each haul:
days the fleet soaked (1-4), bottom temperature (a seasonal curve 8-14 °C per ground), swell
height, fresh or salted bait, and the previous haul's landed catch per 10 creels. The catch
follows the ground's stock (a hidden richness per fleet, depleted by every haul and slowly
refilled as lobsters walk in from around), lobster activity rising with temperature but
falling during the summer moult when the water passes 13 °C, soak saturation
(1 - exp(-days / 1.5)), bait (salted 0.75 of fresh) and swell (creels shift and empty above
1.5 m), with Poisson-like counting noise.
Input: (36, 5) standardised per-haul features. Model: GRU 5→32 (one layer), Linear 32→1 at
every haul (per-step regression of catch / 10); MSE, Adam 3e-3 with ExponentialLR(0.85),
batch 16 fleets, 14 epochs, 480 fleets, validation on 120.
Healthy; numbers in the README.
Log: TSV per epoch ``fleet_fit.tsv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_per10``); checkpoint ``fleet_gru.pth`` with keys ``gru_state`` / ``opt_state`` /
``epoch`` / ``feat_mean`` / ``feat_std`` / ``catch_scale``."""
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

HAULS = 36


def fleets(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    rich = 4 + 10 * r(n)  # lobsters per 10 creels on a fresh, rich ground
    t_mean, t_amp = 10.5 + 1.5 * r(n), 2 + 1.0 * r(n)
    stock = torch.ones(n)
    prev = rich * 0.5
    xs, ys = [], []
    for h in range(HAULS):
        soak = torch.randint(1, 5, (n,), generator=g).float()
        temp = t_mean - t_amp * math.cos(2 * math.pi * (h / HAULS * 0.55 + 0.05)) \
            + 0.3 * torch.randn(n, generator=g)
        swell = (0.4 + 1.6 * r(n) ** 2 * 1.5)
        salted = (r(n) < 0.4).float()
        activity = torch.sigmoid((temp - 9.0) / 0.8) * (1 - 0.5 * torch.sigmoid((temp - 13.0) / 0.3))
        sat = 1 - torch.exp(-soak / 1.5)
        expect = rich * stock * activity * sat * (1 - 0.25 * salted) \
            * torch.exp(-0.8 * (swell - 1.5).clamp(min=0))
        catch = (expect + expect.sqrt() * 0.5 * torch.randn(n, generator=g)).clamp(min=0)
        xs.append(torch.stack([soak, temp, swell, salted, prev], 1))
        ys.append(catch)
        stock = (stock - 0.025 * catch / (rich / 10)).clamp(min=0.1)
        stock = stock + 0.05 * soak * (1 - stock)
        prev = catch
    return torch.stack(xs, 1), torch.stack(ys, 1).unsqueeze(2)


class FleetGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(5, 32, batch_first=True)
        self.out = nn.Linear(32, 1)

    def forward(self, x):
        h, _ = self.gru(x)
        return self.out(h)


def build():
    torch.manual_seed(0)
    return FleetGRU()


def main():
    from _fourhundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = fleets(480, g)
    xva, yva = fleets(120, g)
    mean, std = xtr.mean((0, 1)), xtr.std((0, 1))
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    scale = 10.0
    ytr, yva = ytr / scale, yva / scale
    print("catch/10 mean, var", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)
    with open(out / "fleet_fit.tsv", "w") as f:
        f.write("epoch\tlr\ttrain_mse\tval_mse\tval_mae_per10\n")
        for epoch in range(14):
            model.train()
            tot, cnt = 0.0, 0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, cnt = tot + loss.item() * len(xb), cnt + len(xb)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                pred = model(xva)
            val = nn.functional.mse_loss(pred, yva).item()
            mae = ((pred - yva).abs().mean() * scale).item()
            f.write(f"{epoch}\t{lr:.6g}\t{tot / cnt:.6f}\t{val:.6f}\t{mae:.4f}\n")
            print(epoch, tot / cnt, val, mae)
    torch.save({"gru_state": model.state_dict(), "opt_state": opt.state_dict(), "epoch": 14,
                "feat_mean": mean, "feat_std": std, "catch_scale": scale}, out / "fleet_gru.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="fleet_gru.pth",
           log="fleet_fit.tsv",
           what="GRU giving the expected lobster catch of every haul over a creeler's season on"
                " one fleet (per-step regression, healthy)")


if __name__ == "__main__":
    main()
