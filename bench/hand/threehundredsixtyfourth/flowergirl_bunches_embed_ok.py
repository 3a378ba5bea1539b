"""Plain torch: an embedding model predicts how many penny bunches a London flowergirl sells
in a day at her pitch, from the flower she bought at Covent Garden that morning (12 kinds:
violets, primroses, wallflowers, moss roses, lavender, ...), the pitch (24: Piccadilly
Circus, the Strand, Ludgate Hill, ...), the weekday, the month and the day's weather (rain
in mm, temperature in °C). The count is Poisson around a rate that multiplies the pitch's
footfall, the flower's appeal, the flower's season (each kind peaks in its own month, out
of season it is dear and sells little), the weekday (Saturday high, Sunday only at the church
pitches) and the weather (rain halves trade at 5 mm; cold hurts the hothouse kinds only).
Model: embeddings flower 12→6, pitch 24→6, weekday 7→3, month 12→4, concatenated with
standardised rain and temperature, then 21→48→ReLU→48→ReLU→1 log-rate; Poisson NLL
(``log_input=True``), Adam 4e-3 with ReduceLROnPlateau on the validation loss (×0.5, patience
2), batch 256, 25 epochs, 9000 days, validation on 2000.
Healthy; numbers in the README.
Log: TSV per epoch ``bunches_log.tsv`` (``epoch`` / ``lr`` / ``train_pnll`` / ``val_pnll`` /
``val_mae_bunches``); checkpoint ``flowergirl_embed.pth`` with keys ``weights`` /
``adam_state`` / ``plateau`` / ``epochs_done`` / ``rain_temp_mean`` / ``rain_temp_std`` /
``flowers`` / ``pitches``."""
import math

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

FLOWERS = ["violets", "primroses", "wallflowers", "moss roses", "lavender", "mignonette",
           "snowdrops", "daffodils", "carnations", "lilies of the valley", "sweet peas",
           "chrysanthemums"]
PEAK = torch.tensor([2, 3, 4, 6, 7, 6, 1, 3, 7, 5, 6, 10]).float()  # month of best supply, 0 = Jan
HOTHOUSE = torch.tensor([0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0]).float()
PITCHES = 24


def days(n, g, pitch_foot, appeal, church):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    fl = torch.randint(0, 12, (n,), generator=g)
    pi = torch.randint(0, PITCHES, (n,), generator=g)
    wd = torch.randint(0, 7, (n,), generator=g)
    mo = torch.randint(0, 12, (n,), generator=g)
    rain = torch.where(r(n) < 0.45, -4 * torch.log(r(n) + 1e-6), torch.zeros(n)).clamp(max=30)
    temp = 10 - 7 * torch.cos(2 * math.pi * (mo.float() - 0.5) / 12) + 3 * torch.randn(n, generator=g)
    gap = (mo.float() - PEAK[fl]).abs()
    gap = torch.minimum(gap, 12 - gap)
    season = torch.exp(-0.5 * (gap / 1.5) ** 2)
    week = torch.tensor([1.0, 0.9, 0.95, 1.0, 1.1, 1.5, 0.2])[wd]
    week = torch.where((wd == 6) & church[pi], torch.full_like(week, 1.2), week)
    cold = 1 - 0.5 * HOTHOUSE[fl] * torch.sigmoid(6 - temp)
    rate = 18 * pitch_foot[pi] * appeal[fl] * (0.15 + season) * week * 2 ** (-rain / 5) * cold
    y = torch.poisson(rate, generator=g)
    return fl, pi, wd, mo, torch.stack([rain, temp], 1), y


class BunchModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.flower = nn.Embedding(12, 6)
        self.pitch = nn.Embedding(PITCHES, 6)
        self.weekday = nn.Embedding(7, 3)
        self.month = nn.Embedding(12, 4)
        self.head = nn.Sequential(nn.Linear(21, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                                  nn.Linear(48, 1))

    def forward(self, fl, pi, wd, mo, wx):
        h = torch.cat([self.flower(fl), self.pitch(pi), self.weekday(wd), self.month(mo), wx], 1)
        return self.head(h).squeeze(1)


def build():
    torch.manual_seed(0)
    return BunchModel()


def main():
    from _threehundredsixtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    pitch_foot = 0.4 + 1.2 * torch.rand(PITCHES, generator=g)
    appeal = 0.5 + torch.rand(12, generator=g)
    church = torch.rand(PITCHES, generator=g) < 0.25
    tr = days(9000, g, pitch_foot, appeal, church)
    va = days(2000, g, pitch_foot, appeal, church)
    wm, ws = tr[4].mean(0), tr[4].std(0)
    tr = tr[:4] + ((tr[4] - wm) / ws, tr[5])
    va = va[:4] + ((va[4] - wm) / ws, va[5])
    print("mean bunches", tr[5].mean().item(), "val", va[5].mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(*tr), batch_size=256, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=4e-3)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    crit = nn.PoissonNLLLoss(log_input=True)
    with open(out / "bunches_log.tsv", "w") as f:
        f.write("epoch\tlr\ttrain_pnll\tval_pnll\tval_mae_bunches\n")
        for epoch in range(25):
            model.train()
            tot = 0.0
            for *xs, yb in dl:
                loss = crit(model(*xs), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                logr = model(*va[:5])
                vl = crit(logr, va[5]).item()
                mae = (logr.exp() - va[5]).abs().mean().item()
            lr = opt.param_groups[0]["lr"]
            plateau.step(vl)
            f.write(f"{epoch}\t{lr:.6g}\t{tot / len(tr[5]):.6f}\t{vl:.6f}\t{mae:.4f}\n")
            print(epoch, lr, tot / len(tr[5]), vl, mae)
    torch.save({"weights": model.state_dict(), "adam_state": opt.state_dict(),
                "plateau": plateau.state_dict(), "epochs_done": 25, "rain_temp_mean": wm,
                "rain_temp_std": ws, "flowers": FLOWERS, "pitches": PITCHES},
               out / "flowergirl_embed.pth")
    b = {"inputs": torch.stack([t[:64] for t in va[:4]], 1), "weather": va[4][:64],
         "targets": va[5][:64]}
    finish(out, __file__, b, causes=[], checkpoint="flowergirl_embed.pth", log="bunches_log.tsv",
           what="embedding model (flower, pitch, weekday, month + weather) predicting a London"
                " flowergirl's daily bunches sold, Poisson NLL (healthy)")


if __name__ == "__main__":
    main()
