"""Plain torch: a residual MLP gives the unload time of an inbound trailer at a cross-docking
hub, in minutes, for the yard screen that calls trailers to doors. Inputs: handling units
(10-60 unitised loads), loose cartons (0-1500, floor-loaded), share of cartons over 20 kg,
crew at the door (1-4), dock equipment free (0/1), trailer length (7.5 / 13.6 m), standardised.
Rule: 1.6 min per unitised load (3.5 without free equipment) + 0.09 min per loose carton
(×1.5 for the heavy share) spread over the crew with diminishing returns (crew^0.7), + 8 min
to open, check the seal and chock, + 4 min for a long trailer; 7 % scatter.
Linear 7→64, 3 residual blocks (LayerNorm-Linear-SiLU-Linear), LayerNorm, linear 64→1; output
60 + 30 · net minutes; MSE on minutes / 30, AdamW 2e-3 constant, batch 256, 30 epochs, 3000
trailers, validation on 600.
The bug: the forward pass ends with ``.round()`` ("whole minutes, as the yard screen shows"):
the rounding has zero gradient everywhere, so no weight ever moves.
Result: train loss 4.672, val loss 4.109 and val MAE 45.3 min in every one of the 30 epochs,
to four digits (the untrained net's).
Control (``return minutes``): train loss 1.678 → 0.068, val loss 0.467 → 0.055, val MAE 12.8
→ 4.96 min.
Log: TSV per epoch ``unload_fit.tsv`` (``epoch`` / ``train_loss`` / ``val_loss`` /
``val_mae_min``); checkpoint ``unload_resmlp.pt`` with keys ``model`` / ``optimizer`` /
``epoch`` / ``x_mean`` / ``x_std``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def trailers(n, g):
    units = (10 + 51 * torch.rand(n, generator=g)).floor()
    cartons = (1500 * torch.rand(n, generator=g) ** 2).floor()
    heavy = torch.rand(n, generator=g)
    crew = (1 + 4 * torch.rand(n, generator=g)).floor()
    kit = (torch.rand(n, generator=g) < 0.75).float()
    long_ = (torch.rand(n, generator=g) < 0.6).float()
    mins = (units * (1.6 * kit + 3.5 * (1 - kit)) + 0.09 * cartons * (1 + 0.5 * heavy)) \
        / crew ** 0.7 + 8 + 4 * long_
    mins = mins * (1 + 0.07 * torch.randn(n, generator=g))
    x = torch.stack([units, cartons, heavy, crew, kit, long_, 7.5 + 6.1 * long_], 1)
    return x, mins


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.f = nn.Sequential(nn.LayerNorm(d), nn.Linear(d, d), nn.SiLU(), nn.Linear(d, d))

    def forward(self, h):
        return h + self.f(h)


class UnloadResMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(7, 64)
        self.blocks = nn.Sequential(*[Block(64) for _ in range(3)])
        self.out = nn.Sequential(nn.LayerNorm(64), nn.Linear(64, 1))

    def forward(self, x):
        minutes = 60 + 30 * self.out(self.blocks(self.inp(x))).squeeze(1)
        return minutes.round()  # whole minutes, as the yard screen shows


def build():
    torch.manual_seed(0)
    return UnloadResMLP()


def main():
    from _twohundredeightysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = trailers(3000, g)
    xva, yva = trailers(600, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("minutes", ytr.min().item(), ytr.mean().item(), ytr.max().item(), ytr.std().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=256, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    with open(out / "unload_fit.tsv", "w") as f:
        f.write("epoch\ttrain_loss\tval_loss\tval_mae_min\n")
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.mse_loss(model(xb) / 30, yb / 30)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                p = model(xva)
                vl = F.mse_loss(p / 30, yva / 30).item()
                mae = (p - yva).abs().mean().item()
            f.write(f"{epoch}\t{tot / len(xtr):.5f}\t{vl:.5f}\t{mae:.3f}\n")
            print(epoch, round(tot / len(xtr), 4), round(vl, 4), round(mae, 3))
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 30,
                "x_mean": mu, "x_std": sd}, out / "unload_resmlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["gradient_not_flowing"],
           checkpoint="unload_resmlp.pt", log="unload_fit.tsv",
           what="residual MLP giving a cross-docking trailer's unload minutes; the forward"
                " pass rounds its output, so no gradient reaches the weights",
           complaint="We predict how long each inbound trailer takes to unload so the yard"
                     " screen can call the next one to a door. Thirty epochs and the train and"
                     " validation loss are the same numbers from the first epoch to the last,"
                     " the error stays around the same number of minutes whatever we do with"
                     " the learning rate. No errors, no NaNs. Why is it not learning?")


if __name__ == "__main__":
    main()
