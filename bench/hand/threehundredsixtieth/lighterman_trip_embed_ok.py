"""Plain torch: an embedding model predicts how long a lighterman will take to drive a
dumb (unpowered) lighter from one wharf to another on the tideway, from the lighterage
company's trip sheets, so the foreman can promise a delivery time. Inputs: the wharf she
leaves and the wharf she is bound for (24 wharves from Brentford down to Erith), the
lighterman (40 licensed men) and 4 numbers: the tidal stream at departure along her course
(m/s, + with her), the hours of fair stream left, her load (tons, 0-180) and the wind
against her (m/s). The rule: a dumb lighter drifts with the stream, steered and helped by
the long sweeps; distance between the wharves (km, from their places along the river) over
her speed through the water plus the stream, a second leg at slack or against the stream
once the fair tide runs out (she is moored and waits, or worked against it slowly), heavy
loads and head winds slow her, each man has his own skill (±15 %), some wharves are slow
to get into (tight berths among the moored barges); noise of ± 6 %.
Inputs: wharf ids (2), man id, (4,) numbers standardised with the train mean / std. Model:
Embedding 24→8 (shared by both wharves), Embedding 40→4, concatenated with the numbers
(24 wide) → 96 → ReLU → 48 → ReLU → 1; target log(hours); MSE, RMSprop 3e-3 with
MultiStepLR (×0.3 at epochs 20 and 28), batch 64, 32 epochs, 3200 trips, validation on 800.
Healthy; numbers in the README.
Log: TSV per epoch ``tripsheet_fit.tsv`` (``epoch`` / ``lr`` / ``train_mse_log`` /
``val_mse_log`` / ``val_mape``); checkpoint ``trip_embed.pt`` with keys ``model_state`` /
``rmsprop_state`` / ``multistep`` / ``epochs_done`` / ``num_mean`` / ``num_std`` /
``wharf_km``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

WHARVES, MEN = 24, 40


def river(g):
    km = torch.sort(torch.rand(WHARVES, generator=g) * 38).values  # Brentford = 0, Erith = 38
    berth = 0.2 + 0.8 * torch.rand(WHARVES, generator=g) ** 3  # hours to get in
    skill = 1 + 0.15 * (2 * torch.rand(MEN, generator=g) - 1)
    return km, berth, skill


def trips(n, world, g):
    km, berth, skill = world
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    a = torch.randint(0, WHARVES, (n,), generator=g)
    b = (a + torch.randint(1, WHARVES, (n,), generator=g)) % WHARVES
    man = torch.randint(0, MEN, (n,), generator=g)
    stream = 2.4 * (r(n) - 0.3)
    fair_h = 0.5 + 5.5 * r(n)
    load = 180 * r(n)
    wind = 10 * (r(n) - 0.3)
    dist = (km[b] - km[a]).abs() * 1000
    through = (0.9 - 0.002 * load - 0.03 * wind.clamp(min=0)).clamp(min=0.3) * skill[man]
    v1 = (through + stream).clamp(min=0.25)
    leg1 = torch.minimum(dist, v1 * fair_h * 3600)
    rest = dist - leg1
    v2 = (through - 0.5).clamp(min=0.4)
    hours = leg1 / v1 / 3600 + rest / v2 / 3600 + berth[b]
    hours = hours * (1 + 0.06 * torch.randn(n, generator=g))
    num = torch.stack([stream, fair_h, load, wind], 1)
    return a, b, man, num, hours.clamp(min=0.1).log().unsqueeze(1)


class TripModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.wharf = nn.Embedding(WHARVES, 8)
        self.man = nn.Embedding(MEN, 4)
        self.mlp = nn.Sequential(nn.Linear(24, 96), nn.ReLU(), nn.Linear(96, 48), nn.ReLU(),
                                 nn.Linear(48, 1))

    def forward(self, num, frm, to, man):
        z = torch.cat([self.wharf(frm), self.wharf(to), self.man(man), num], 1)
        return self.mlp(z)


def build():
    torch.manual_seed(0)
    return TripModel()


def main():
    from _threehundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    world = river(g)
    atr, btr, mtr, ntr, ytr = trips(3200, world, g)
    ava, bva, mva, nva, yva = trips(800, world, g)
    print("log hours", ytr.mean().item(), ytr.var().item())
    mu, sd = ntr.mean(0), ntr.std(0)
    ntr, nva = (ntr - mu) / sd, (nva - mu) / sd
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(atr, btr, mtr, ntr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[20, 28], gamma=0.3)
    with open(out / "tripsheet_fit.tsv", "w") as log:
        log.write("epoch\tlr\ttrain_mse_log\tval_mse_log\tval_mape\n")
        for epoch in range(32):
            model.train()
            lr = opt.param_groups[0]["lr"]
            tot = 0.0
            for a, b, m, num, y in dl:
                loss = F.mse_loss(model(num, a, b, m), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(y)
            sched.step()
            model.eval()
            with torch.no_grad():
                p = model(nva, ava, bva, mva)
            mape = ((p.exp() - yva.exp()).abs() / yva.exp()).mean().item()
            row = [tot / len(ytr), F.mse_loss(p, yva).item(), mape]
            log.write(f"{epoch}\t{lr:.2e}\t" + "\t".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, [round(v, 5) for v in row])
    torch.save({"model_state": model.state_dict(), "rmsprop_state": opt.state_dict(),
                "multistep": sched.state_dict(), "epochs_done": 32, "num_mean": mu,
                "num_std": sd, "wharf_km": world[0]}, out / "trip_embed.pt")
    finish(out, __file__, {"inputs": nva[:64], "frm": ava[:64], "to": bva[:64],
                           "man": mva[:64], "targets": yva[:64]},
           causes=[], checkpoint="trip_embed.pt", log="tripsheet_fit.tsv",
           what="embedding model (wharves, lighterman) predicting a dumb lighter's trip time"
                " on the tideway from the trip sheets (healthy)")


if __name__ == "__main__":
    main()
