"""Horticulture: vase life (days) of cut rose stems from the grower's post-harvest records — a
cultivar embedding (14 cultivars, 4-d) next to 9 measured inputs: harvest stage (bud
opening 1–4), stem length (cm), hours from cutting to the cold room, cold-room temperature,
days in the cold chain, preservative in the bucket (0/1), bucket water EC and pH, and
ethylene exposure in transport (ppb). Vase life = the cultivar's base (8–14 days) minus the
damage of warm delays, long storage, missing preservative, ethylene (stronger for sensitive
cultivars) and high EC, plus stem-to-stem noise (σ 1.2 days) and 3 % of records where the
stem was thrown away early for an unrelated reason (a day count of 2–4). MLP (13 → 64 → 32
→ 1, ReLU, dropout 0.2), Huber loss (δ 1 day) on days centred at 10, AdamW 2e-3, weight decay
1e-4, StepLR halving every 15 epochs, batch 64, 45 epochs of 1800 stems, 450 validation
stems; a CSV ``epoch, lr, train_huber, val_huber, val_mae_days``.
Healthy, flat for its last 30 epochs: vase life 7.5 ± 2.75 days (a constant guess has MAE ≈
2.2 days; the noise alone, σ 1.2 plus the early discards, about 1.1); val MAE 2.10 days after
epoch 0, 1.21 at epoch 14, then 1.19–1.21 to the end (1.188 at epoch 44) through both lr halvings
(the lr steps change nothing visible); val Huber 1.65 → 0.785, the train Huber (dropout on)
2.19 → 0.80, a little above validation throughout."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

N_CULTIVARS = 14


def stems(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cg = torch.Generator().manual_seed(7)
    base = 8 + 6 * torch.rand(N_CULTIVARS, generator=cg)
    eth_sens = torch.rand(N_CULTIVARS, generator=cg)
    cv = torch.randint(0, N_CULTIVARS, (n,), generator=g)
    stage = torch.randint(1, 5, (n,), generator=g).float()
    length = 40 + 40 * r(n)
    delay = 0.5 + 10 * r(n) ** 2
    room = 1 + 7 * r(n)
    chain = 1 + 9 * r(n)
    pres = (r(n) < 0.6).float()
    ec = 0.3 + 1.5 * r(n)
    ph = 3.5 + 4 * r(n)
    eth = torch.where(r(n) < 0.3, 50 * r(n), 2 * r(n))
    life = base[cv] + 0.4 * (stage - 2.5) + 0.02 * (length - 60) \
        - 0.25 * delay * (room / 4) - 0.35 * chain + 1.5 * pres - 1.2 * (ec - 1).clamp(0) \
        - 0.4 * (ph - 4.5).clamp(0) - 0.08 * eth * eth_sens[cv] + 1.2 * torch.randn(n, generator=g)
    early = r(n) < 0.03
    life = torch.where(early, 2 + 2 * r(n), life).clamp(1)
    x = torch.stack([stage, length, delay, room, chain, pres, ec, ph, eth], 1)
    return cv, x, life


class VaseLifeMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.cultivar = nn.Embedding(N_CULTIVARS, 4)
        self.net = nn.Sequential(nn.Linear(13, 64), nn.ReLU(), nn.Dropout(0.2),
                                 nn.Linear(64, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 1))

    def forward(self, x, cultivar):
        return self.net(torch.cat([self.cultivar(cultivar), x], 1))[:, 0]


def build():
    torch.manual_seed(0)
    return VaseLifeMLP()


def main():
    from _hundredthirtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    cv, x, life = stems(2250, g)
    mu, sd = x[:1800].mean(0), x[:1800].std(0)
    x = (x - mu) / sd
    t = life - 10.0
    print("vase life mean / sd", life.mean().item(), life.std().item())
    va = slice(1800, None)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=15, gamma=0.5)
    f = open(out / "vase_life_history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "lr", "train_huber", "val_huber", "val_mae_days"])
    for epoch in range(45):
        model.train()
        perm = torch.randperm(1800, generator=g)
        tot = 0.0
        for i in range(0, 1800, 64):
            idx = perm[i:i + 64]
            loss = F.huber_loss(model(x[idx], cv[idx]), t[idx], delta=1.0)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        lr = opt.param_groups[0]["lr"]
        sched.step()
        model.eval()
        with torch.no_grad():
            p = model(x[va], cv[va])
            row = [epoch, lr, round(tot / 1800, 4), round(F.huber_loss(p, t[va]).item(), 4),
                   round((p - t[va]).abs().mean().item(), 3)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": epoch, "x_mean": mu, "x_std": sd,
                "target_offset_days": 10.0}, out / "vase_life_mlp.pth")
    finish(out, __file__, {"inputs": x[va][:64], "cultivar": cv[va][:64],
                           "targets": t[va][:64]},
           causes=[], checkpoint="vase_life_mlp.pth", log="vase_life_history.csv",
           what="cut-rose vase-life MLP with a cultivar embedding, Huber loss (healthy)")


if __name__ == "__main__":
    main()
