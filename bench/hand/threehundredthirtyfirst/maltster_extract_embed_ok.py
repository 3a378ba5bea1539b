"""Plain torch: an embedding model predicts the hot water extract a maltster will get from a
lot of malting barley (% of dry malt, the number a brewer buys on), from the variety, the
growing region and the intake tests, so lots can be sorted into bins at intake. The rule
behind it: extract falls about 1.1 points per point of grain protein (protein takes the place
of starch), rises with plumpness (share over the 2.5 mm screen) and thousand-kernel weight,
drops when germinative energy is low (the lot will not modify evenly) and when the lot came in
wet and was dried hot; each of 10 varieties has its own level (±1.5 points) and each of 5
regions its own (±0.8, the season and the soil), and some varieties lose more to high protein
than others. Sample-to-sample noise 0.35 points.
Input: ``inputs`` (5,) standardised intake tests (protein %, plumpness %, TKW g, germinative
energy %, intake moisture %), ``variety`` and ``region`` ids; target extract % - 81.
Model: Embedding(10, 4) and Embedding(5, 3) joined to the tests, Linear 12→48 + ReLU, Linear
48→48 + ReLU, Linear 48→1; MSE, AdamW 4e-3 (weight decay 1e-3) with ExponentialLR 0.93 per
epoch, batch 40, 30 epochs of 1200 lots, validation on 300.
Healthy; numbers in the README.
Log: JSON lines per epoch ``extract_epochs.jsonl`` (``epoch`` / ``lr`` / ``train_mse`` /
``val_mse`` / ``val_mae_pts``); checkpoint ``extract_net.pth`` with keys ``weights`` /
``adamw`` / ``sched`` / ``epoch`` / ``tests_mean`` / ``tests_std`` / ``extract_offset``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

N_VAR, N_REG = 10, 5


def lots(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    gv = torch.Generator().manual_seed(7)  # the varieties and regions themselves
    var_level = 1.5 * (2 * torch.rand(N_VAR, generator=gv) - 1)
    var_protein = 0.8 + 0.6 * torch.rand(N_VAR, generator=gv)
    reg_level = 0.8 * (2 * torch.rand(N_REG, generator=gv) - 1)
    reg_protein = 10.5 + 1.5 * (2 * torch.rand(N_REG, generator=gv) - 1)
    variety = torch.randint(0, N_VAR, (n,), generator=g)
    region = torch.randint(0, N_REG, (n,), generator=g)
    protein = reg_protein[region] + 0.8 * torch.randn(n, generator=g)
    plump = (94 - 3 * (protein - 10.5) + 4 * torch.randn(n, generator=g)).clamp(60, 99)
    tkw = 38 + 0.12 * (plump - 60) + 3 * torch.randn(n, generator=g)
    ge = (98 - 6 * r(n) ** 3).clamp(max=100)
    moist = 12 + 4 * r(n)
    extract = (81 + var_level[variety] + reg_level[region]
               - 1.1 * var_protein[variety] * (protein - 10.5) + 0.05 * (plump - 88)
               + 0.06 * (tkw - 44) - 0.25 * (98 - ge) ** 1.3 * 0.4
               - 0.3 * (moist - 14).clamp(min=0) ** 2 + 0.35 * torch.randn(n, generator=g))
    return torch.stack([protein, plump, tkw, ge, moist], 1), variety, region, extract


class ExtractNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.variety = nn.Embedding(N_VAR, 4)
        self.region = nn.Embedding(N_REG, 3)
        self.mlp = nn.Sequential(nn.Linear(12, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                                 nn.Linear(48, 1))

    def forward(self, tests, variety, region):
        return self.mlp(torch.cat([tests, self.variety(variety), self.region(region)], 1))


def build():
    torch.manual_seed(0)
    return ExtractNet()


def main():
    from _threehundredthirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, vtr, rtr, etr = lots(1200, g)
    xva, vva, rva, eva = lots(300, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    ytr, yva = (etr - 81).unsqueeze(1), (eva - 81).unsqueeze(1)
    print("extract", etr.mean().item(), "target var", ytr.var().item())
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=4e-3, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.93)
    torch.manual_seed(1)
    with open(out / "extract_epochs.jsonl", "w") as log:
        for epoch in range(30):
            model.train()
            perm = torch.randperm(len(xtr))
            tot = 0.0
            for b in range(0, len(xtr), 40):
                idx = perm[b:b + 40]
                loss = F.mse_loss(model(xtr[idx], vtr[idx], rtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            lr = opt.param_groups[0]["lr"]
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(xva, vva, rva)
            row = {"epoch": epoch, "lr": round(lr, 6), "train_mse": round(tot / len(xtr), 5),
                   "val_mse": round(F.mse_loss(p, yva).item(), 5),
                   "val_mae_pts": round((p - yva).abs().mean().item(), 4)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"weights": model.state_dict(), "adamw": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 30, "tests_mean": mu, "tests_std": sd,
                "extract_offset": 81.0}, out / "extract_net.pth")
    finish(out, __file__, {"inputs": xva[:64], "variety": vva[:64], "region": rva[:64],
                           "targets": yva[:64]}, causes=[],
           checkpoint="extract_net.pth", log="extract_epochs.jsonl",
           what="embedding model (variety, region) with an MLP predicting a malting barley lot's"
                " hot water extract from its intake tests (healthy)")


if __name__ == "__main__":
    main()
