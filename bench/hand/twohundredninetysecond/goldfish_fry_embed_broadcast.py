"""Plain torch: an embedding model tells a goldfish breeder how long (mm, standard length) a
spawning's fry will be at 8 weeks, so the culling and pond moves can be planned: a learned
embedding per strain (12 strains, oranda to comet: twin-tail fancies grow slower) and per
rearing tank (20 tanks, some with better filtration), plus numbers: water temperature, stocking
density, daily feed as % body weight, share of live food (brine shrimp, daphnia) and days of
the first water change. Growth rule: 8-week length = strain base × tank factor × a Q10 rise
with temperature (×2 per 10 °C around 24 °C, capped at 29 °C) × (density)^-0.18 × feed
saturation (1 - exp(-feed/2.5)) × (1 + 0.25·live share), with 6 % scatter.
Strain embedding 12×6 and tank embedding 20×4 concatenated with 5 standardised numbers →
15→64-Tanh-64-Tanh→1; MSE on mm / 10, Adagrad 0.05, batch 48, 25 epochs, 2000 spawnings,
validation on 400.
Bug: the targets are kept as a flat vector ``(B,)`` while the model returns ``(B, 1)`` (``#
(B, 1), one length per spawning``), and
``F.mse_loss(pred, yb)`` broadcasts them to a ``(B, B)`` grid (only a UserWarning), so every
prediction is pulled towards every fry length in the batch and the net learns the batch mean.
Control (``.squeeze(1)`` on that line, one-line sed): train MSE 0.814 → 0.034,
val MSE 0.253 → 0.054, val MAE 3.85 → 1.78 mm, spread of the predictions 10.8 mm. With the
bug: train MSE 1.70 → 1.17 (the variance of the targets, 1.16), val MSE 1.15 → 1.09, val MAE
8.6 → 8.3 mm, spread of the predictions 1.3 → 0.5 mm: every spawning gets about the average
length.
Log: CSV per epoch ``fry_growth.csv`` (``epoch`` / ``loss`` / ``val_loss`` / ``val_mae_mm`` /
``pred_std_mm``); checkpoint ``fry_embed.pth`` with keys ``model`` / ``adagrad`` / ``epoch`` /
``n_strains`` / ``n_tanks``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

NS, NT = 12, 20


def spawnings(n, g, base, tank):
    s = torch.randint(0, NS, (n,), generator=g)
    k = torch.randint(0, NT, (n,), generator=g)
    temp = 18 + 11 * torch.rand(n, generator=g)
    dens = 20 + 180 * torch.rand(n, generator=g)
    feed = 1 + 7 * torch.rand(n, generator=g)
    live = torch.rand(n, generator=g)
    change = 3 + 11 * torch.rand(n, generator=g)
    length = (base[s] * tank[k] * 2 ** ((temp.clamp(max=29) - 24) / 10) * (dens / 80) ** -0.18
              * (1 - torch.exp(-feed / 2.5)) * (1 + 0.25 * live)
              * torch.exp(0.06 * torch.randn(n, generator=g)))
    num = torch.stack([(temp - 23.5) / 3.2, (dens - 110) / 52, (feed - 4.5) / 2,
                       (live - 0.5) / 0.29, (change - 8.5) / 3.2], 1)
    return s, k, num, length / 10


class FryNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.strain = nn.Embedding(NS, 6)
        self.tank = nn.Embedding(NT, 4)
        self.mlp = nn.Sequential(nn.Linear(15, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(),
                                 nn.Linear(64, 1))

    def forward(self, strain, tank, num):
        return self.mlp(torch.cat([self.strain(strain), self.tank(tank), num], 1))


def build():
    torch.manual_seed(0)
    return FryNet()


def main():
    from _twohundredninetysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    base = 28 + 14 * torch.rand(NS, generator=g)
    tank = 0.8 + 0.35 * torch.rand(NT, generator=g)
    s_tr, k_tr, n_tr, ytr = spawnings(2000, g, base, tank)
    s_va, k_va, n_va, yva = spawnings(400, g, base, tank)
    print("length/10", ytr.mean().item(), ytr.var().item(), ytr.min().item(), ytr.max().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(s_tr, k_tr, n_tr, ytr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.Adagrad(model.parameters(), lr=0.05)
    log = open(out / "fry_growth.csv", "w")
    log.write("epoch,loss,val_loss,val_mae_mm,pred_std_mm\n")
    for epoch in range(25):
        model.train()
        tot = 0.0
        for sb, kb, nb, yb in loader:
            pred = model(sb, kb, nb)  # (B, 1), one length per spawning
            loss = F.mse_loss(pred, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(yb)
        model.eval()
        with torch.no_grad():
            p = model(s_va, k_va, n_va).view(-1)
            vl = F.mse_loss(p, yva).item()
            mae = (p - yva).abs().mean().item() * 10
        log.write(f"{epoch},{tot / len(ytr):.5f},{vl:.5f},{mae:.3f},{p.std().item() * 10:.3f}\n")
        print(epoch, round(tot / len(ytr), 4), round(vl, 4), round(mae, 3),
              round(p.std().item() * 10, 3))
    log.close()
    torch.save({"model": model.state_dict(), "adagrad": opt.state_dict(), "epoch": 25,
                "n_strains": NS, "n_tanks": NT}, out / "fry_embed.pth")
    finish(out, __file__, {"inputs": s_va[:64], "tank": k_va[:64], "num": n_va[:64],
                           "targets": yva[:64]},
           causes=["shape_or_dtype_bug"], checkpoint="fry_embed.pth", log="fry_growth.csv",
           what="strain/tank embedding model for goldfish fry length at 8 weeks; (B, 1)"
                " predictions against (B,) targets broadcast in the MSE",
           complaint="Our growth model for goldfish fry gives every spawning nearly the same 8-week"
                     " length, about 28 mm, whether it is slow orandas in a cold tank or"
                     " comets fed live food at 28 degrees. The loss falls in the first epoch"
                     " and then sits at about 1.17 for the rest of the run, and the average"
                     " error stays over 8 mm. More epochs and a bigger net changed nothing.")


if __name__ == "__main__":
    main()
