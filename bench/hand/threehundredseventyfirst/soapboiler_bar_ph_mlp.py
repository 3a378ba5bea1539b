"""Plain torch: an MLP predicts the pH of a cured bar of boiled soap from the soap-boiler's
kettle book, so a batch that will come out harsh (free caustic) can be given another salting
before it is framed. 10 inputs per boil: the fat charge (tallow, lard, coconut, palm kernel,
olive; fractions summing to 1), the lye charge (g NaOH per 100 g fat), water (g per 100 g
fat), hours on the boil, number of saltings (grainings) and the kettle titration of free
alkali (% NaOH) on a sample before the last salting, which is blank in the book when nobody
ran it (about 12 % of boils; NaN in the table as read). The pH follows the saponification
rule: the lye the fats need is the SAP-weighted sum (tallow 0.143, lard 0.138, coconut
0.183, palm kernel 0.156, olive 0.135 g NaOH per g), the excess over it is halved by every
salting, and the bar's pH rises with what is left (a tanh, superfat boils sit near 9.6),
a little lower for long boils, with meter noise 0.08.
Input: (10,) standardised with the mean / spread of the filled-in cells. Model: 10→64→SiLU
→64→SiLU→1; MSE on pH - 10, Adam 1e-3, batch 40, 30 epochs, 1600 boils, validation on 400.
The bug: the standardised table keeps the blank titrations as NaN, ``x = (raw - mu) / sd``
with nothing filling them, so the first batch holding a blank boil gives a NaN loss, the
NaN gradient lands in every weight and the model only ever answers NaN: train MSE nan from
epoch 0, val MSE and MAE nan every epoch (control, ``.nan_to_num(0.0)``: train MSE 0.054 →
0.0076, val MSE 0.0176 → 0.0081 against target variance 0.094 and meter noise 0.0064, MAE
0.102 → 0.073 pH).
Log: TSV per epoch ``kettle_fit.tsv`` (``epoch`` / ``train_mse`` / ``val_mse`` /
``val_mae_ph``); checkpoint ``bar_ph.pth`` with keys ``weights`` / ``adam_state`` /
``epoch`` / ``col_mean`` / ``col_sd`` / ``columns``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

COLUMNS = ["tallow", "lard", "coconut", "palm_kernel", "olive", "lye_g", "water_g", "boil_h",
           "saltings", "kettle_alkali"]
SAP = torch.tensor([0.143, 0.138, 0.183, 0.156, 0.135])


def kettle_book(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    fats = -torch.log(r(n, 5))
    fats = fats * torch.tensor([2.0, 1.0, 0.8, 0.5, 0.7])
    fats = fats / fats.sum(1, keepdim=True)
    need = 100 * (fats * SAP).sum(1)
    lye = need * (0.92 + 0.16 * r(n))
    water = 30 + 20 * r(n)
    hours = 2 + 4 * r(n)
    saltings = torch.randint(1, 4, (n,), generator=g).float()
    excess = lye - need
    left = torch.where(excess > 0, excess * 0.5 ** saltings, excess)
    ph = 9.6 + 1.4 * torch.tanh(left.clamp(min=0) / 0.6) + 0.08 * excess.clamp(max=0) \
        - 0.04 * (hours - 4) + 0.08 * torch.randn(n, generator=g)
    titr = 0.6 * (excess * 0.5 ** (saltings - 1)).clamp(min=0) + 0.05 * torch.randn(n, generator=g)
    titr = torch.where(r(n) < 0.12, torch.full_like(titr, float("nan")), titr)
    x = torch.cat([fats, torch.stack([lye, water, hours, saltings, titr], 1)], 1)
    return x, (ph - 10).unsqueeze(1)


class BarPH(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(10, 64), nn.SiLU(), nn.Linear(64, 64), nn.SiLU(),
                                  nn.Linear(64, 1))

    def forward(self, x):
        return self.body(x)


def build():
    torch.manual_seed(0)
    return BarPH()


def prep(raw, mu, sd):
    x = (raw - mu) / sd  # standardise with the book's mean and spread
    return x


def main():
    from _threehundredseventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = kettle_book(1600, g)
    rva, yva = kettle_book(400, g)
    mu = torch.nanmean(rtr, 0)
    sd = torch.nanmean((rtr - mu) ** 2, 0).sqrt()
    xtr, xva = prep(rtr, mu, sd), prep(rva, mu, sd)
    print("blank titrations", int(rtr[:, 9].isnan().sum()), "target var", ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "kettle_fit.tsv", "w") as log:
        log.write("epoch\ttrain_mse\tval_mse\tval_mae_ph\n")
        for epoch in range(30):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.mse_loss(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                pv = model(xva)
            row = [tot / len(xtr), F.mse_loss(pv, yva).item(), (pv - yva).abs().mean().item()]
            log.write(f"{epoch}\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, row)
    torch.save({"weights": model.state_dict(), "adam_state": opt.state_dict(), "epoch": 30,
                "col_mean": mu, "col_sd": sd, "columns": COLUMNS}, out / "bar_ph.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["nan_in_inputs"],
           checkpoint="bar_ph.pth", log="kettle_fit.tsv",
           what="MLP predicting a cured soap bar's pH from the kettle book; blank kettle"
                " titrations left as NaN in the standardised inputs",
           complaint="Soap pH regressor from our boiling records: the training loss is nan"
                     " already in the first epoch and the validation MSE is nan every epoch."
                     " Lowering the learning rate from 1e-3 to 1e-4 changed nothing, every"
                     " prediction it makes is nan.")


if __name__ == "__main__":
    main()
