"""Plain torch: an embedding model predicts how much of a hop lot's alpha acid survives the
oast house kiln, so the merchant can price the lot before the lab assay. Inputs: the hop
farm (60 farms, id embedded in 3 dims), the variety (14 varieties, 2 dims), and 4 numbers:
kiln air temperature (°C, 55-75), hours on the drying floor (6-12), green cone moisture
(%, 72-82) and the bed depth (cm, 30-70). Retention = 0.97 - loss: each farm has its own
picking and drying crew habit (a per-farm loss offset, -4 to +4 points), each variety its
heat sensitivity (×0.6-1.5), loss grows with temperature above 60 °C and hours and with
deep wet beds; ±1 point assay scatter.
Target: (retention - 0.88) / 0.05. Model: farm and variety embeddings concatenated with the
standardised numbers → 9→64→ReLU→64→ReLU→1; MSE, Adagrad 0.05, batch 128, 30 epochs,
3000 lots, validation on 800.
The bug: the embedding lookup is detached (``.detach()`` on the concatenated ids' vectors,
"no gradient through the table lookups"), so the farm and variety tables stay at their
random init and the net can only guess the farm effects from fixed random vectors: val MSE
0.270 → 0.199, MAE 1.83 points (control, no ``.detach()``: val MSE 0.225 → 0.050, MAE 0.91
points).
Log: CSV every 20 steps ``kiln_steps.csv`` (``step`` / ``epoch`` / ``mse``) and a per-epoch
CSV ``kiln_val.csv`` (``epoch`` / ``val_mse`` / ``val_mae_points``, named as the log in the
truth); checkpoint ``alpha_embed.pt`` with keys ``params`` / ``adagrad`` / ``epoch`` /
``num_mu`` / ``num_sd`` / ``n_farms`` / ``n_varieties``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FARMS, VARIETIES = 60, 14


def lots(n, g, farm_off, var_sens):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    farm = torch.randint(0, FARMS, (n,), generator=g)
    var = torch.randint(0, VARIETIES, (n,), generator=g)
    temp, hours, moist, depth = 55 + 20 * r(n), 6 + 6 * r(n), 72 + 10 * r(n), 30 + 40 * r(n)
    heat = var_sens[var] * (0.004 * (temp - 60).clamp(min=0) * hours / 9
                            + 0.0008 * (moist - 72) * depth / 50)
    ret = 0.97 - 0.05 - farm_off[farm] - heat + 0.01 * torch.randn(n, generator=g)
    return farm, var, torch.stack([temp, hours, moist, depth], 1), ret


class AlphaNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.farm = nn.Embedding(FARMS, 3)
        self.var = nn.Embedding(VARIETIES, 2)
        self.head = nn.Sequential(nn.Linear(9, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                  nn.Linear(64, 1))

    def forward(self, farm, var, num):
        ids = torch.cat([self.farm(farm), self.var(var)], 1).detach()  # no gradient through the table lookups
        return self.head(torch.cat([ids, num], 1))


def build():
    torch.manual_seed(0)
    return AlphaNet()


def main():
    from _fourhundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    farm_off = 0.04 * (2 * torch.rand(FARMS, generator=g) - 1)
    var_sens = 0.6 + 0.9 * torch.rand(VARIETIES, generator=g)
    ftr, vtr, ntr, rtr = lots(3000, g, farm_off, var_sens)
    fva, vva, nva, rva = lots(800, g, farm_off, var_sens)
    mu, sd = ntr.mean(0), ntr.std(0)
    xtr, xva = (ntr - mu) / sd, (nva - mu) / sd
    ytr, yva = ((rtr - 0.88) / 0.05).unsqueeze(1), ((rva - 0.88) / 0.05).unsqueeze(1)
    print("retention", rtr.min().item(), rtr.max().item(), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(ftr, vtr, xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.Adagrad(model.parameters(), lr=0.05)
    step = 0
    with open(out / "kiln_steps.csv", "w") as slog, open(out / "kiln_val.csv", "w") as vlog:
        slog.write("step,epoch,mse\n")
        vlog.write("epoch,val_mse,val_mae_points\n")
        for epoch in range(30):
            model.train()
            for fb, vb, xb, yb in dl:
                loss = F.mse_loss(model(fb, vb, xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 20 == 0:
                    slog.write(f"{step},{epoch},{loss.item():.6f}\n")
                step += 1
            model.eval()
            with torch.no_grad():
                p = model(fva, vva, xva)
            val, mae = F.mse_loss(p, yva).item(), 5 * (p - yva).abs().mean().item()
            vlog.write(f"{epoch},{val:.6f},{mae:.4f}\n")
            print(epoch, round(val, 5), round(mae, 3))
    torch.save({"params": model.state_dict(), "adagrad": opt.state_dict(), "epoch": 30,
                "num_mu": mu, "num_sd": sd, "n_farms": FARMS, "n_varieties": VARIETIES},
               out / "alpha_embed.pt")
    finish(out, __file__, {"farm": fva[:64], "variety": vva[:64], "inputs": xva[:64],
                           "targets": yva[:64]},
           causes=["gradient_not_flowing"],
           checkpoint="alpha_embed.pt", log="kiln_val.csv",
           what="farm / variety embedding model predicting hop alpha-acid retention through"
                " the oast kiln; the embedding lookups are detached",
           complaint="Our hop lot model for the oast house plateaus early: val MSE stops"
                     " around 0.2 after a few epochs and the error is about 1.8 points of"
                     " alpha retention, no better than our rule of thumb. The farm is the"
                     " biggest factor in practice, but the model does not seem to pick it"
                     " up. Bigger embeddings did not help.")


if __name__ == "__main__":
    main()
