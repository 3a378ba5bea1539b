"""Plain torch: a residual MLP predicts the muzzle velocity a gunsmith's customer will see
over the chronograph from a handload recipe, so a new load can be worked up from the lower
end without a dozen range trips. Eight numbers per load: powder charge (grains), bullet
weight (grains), powder burn-rate index (fast pistol-ish 0 to slow magnum 1), barrel length
(inches), cartridge overall length past the reamer's minimum (seating depth), case capacity
(grains of water), primer (standard / magnum) and the day's temperature (°F). Energy follows
the charge × a powder-efficiency term that peaks where the burn rate suits the bullet
weight and the case, grows with barrel length (1 - e^(-L/L0)) and with load density,
seating deeper raises pressure; velocity is sqrt(2E / m), plus about 1 fps per °F of powder
temperature sensitivity and a chronograph shot-to-shot spread of ~12 fps.
Target: (velocity - 2600) / 300 fps. Model: Linear 8→64, 3 residual blocks (LayerNorm,
Linear 64→128, SiLU, Linear 128→64), LayerNorm, Linear 64→1; MSE, Adam with OneCycleLR (max
4e-3), batch 128, 30 epochs, 3200 loads, validation on 800.
Healthy; numbers in the README.
Log: TSV per epoch ``chrono_fit.tsv`` (``epoch`` / ``lr`` / ``train_mse`` / ``val_mse`` /
``val_mae_fps`` / ``val_sd_fps``); checkpoint ``velocity_resmlp.pth`` with keys ``weights`` /
``opt_state`` / ``onecycle_state`` / ``epoch`` / ``feat_mean`` / ``feat_std`` /
``fps_offset_scale``."""
import torch
import torch.nn as nn


def loads(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    bullet = 100 + 100 * r(n)  # grains
    burn = r(n)
    cap = 50 + 30 * r(n)  # case capacity, grains of water
    density = 0.85 + 0.17 * r(n)  # load density
    charge = cap * density * (0.75 + 0.2 * burn)
    barrel = 18 + 10 * r(n)
    seat = 0.1 * r(n)  # inches past the minimum COAL (longer = less pressure)
    magnum = (r(n) < 0.3).float()
    temp = 20 + 80 * r(n)
    best_burn = (bullet - 100) / 100 * 0.6 + (cap - 50) / 30 * 0.4
    eff = 0.32 - 0.12 * (burn - best_burn) ** 2 + 0.02 * magnum - 0.15 * seat
    barrel_gain = 1 - torch.exp(-barrel / (14 + 10 * burn))
    energy = 1.0e7 * charge * eff * barrel_gain * (0.9 + 0.1 * density)
    v = (2 * energy / bullet) ** 0.5 * 1.75 + 1.0 * (temp - 60)
    v = v + 12 * torch.randn(n, generator=g)
    x = torch.stack([charge, bullet, burn, barrel, seat, cap, magnum, temp], 1)
    return x, v


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, 2 * d), nn.SiLU(), nn.Linear(2 * d, d))

    def forward(self, x):
        return x + self.f(x)


class VelocityNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(8, 64)
        self.blocks = nn.Sequential(Block(64), Block(64), Block(64))
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        return self.out(self.blocks(self.inp(x)))


def build():
    torch.manual_seed(0)
    return VelocityNet()


def main():
    from _threehundredfortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, vtr = loads(3200, g)
    xva, vva = loads(800, g)
    print("velocity range", vtr.min().item(), vtr.max().item(), vtr.std().item())
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    ytr, yva = ((vtr - 2600) / 300).unsqueeze(1), ((vva - 2600) / 300).unsqueeze(1)
    torch.manual_seed(0)
    dl = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr), batch_size=128,
                                     shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=4e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=4e-3, total_steps=30 * len(dl))
    with open(out / "chrono_fit.tsv", "w") as f:
        f.write("epoch\tlr\ttrain_mse\tval_mse\tval_mae_fps\tval_sd_fps\n")
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = nn.functional.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
            err = 300 * (p - yva)
            row = [tot / len(xtr), nn.functional.mse_loss(p, yva).item(),
                   err.abs().mean().item(), err.std().item()]
            f.write(f"{epoch}\t{sched.get_last_lr()[0]:.6g}\t"
                    + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, [round(v, 5) for v in row])
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "onecycle_state": sched.state_dict(), "epoch": 30, "feat_mean": mean,
                "feat_std": std, "fps_offset_scale": (2600.0, 300.0)}, out / "velocity_resmlp.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="velocity_resmlp.pth", log="chrono_fit.tsv",
           what="residual MLP predicting a handload's muzzle velocity from the recipe (healthy)")


if __name__ == "__main__":
    main()
