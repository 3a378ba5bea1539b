"""Plain torch: an autoencoder learns what the measurements of a healthy mute swan look like
from the records of the Swan Upping census on the Thames (each July the swan uppers catch
the broods, weigh and measure cygnets and their parents, and ring them), so that the
swan-upper's vet can flag birds whose numbers do not hang together (a lead-poisoned or
fishing-line-tangled bird is light for its frame). 8 measurements per bird: weight (kg),
wing chord (mm), bill length (mm), head + bill (mm), tarsus (mm), knob height (mm), bill
colour (0 grey cygnet → 1 orange adult) and neck girth (mm). Behind them: age (cygnets 5-12
weeks old, or adults), sex (cocks bigger, with a larger knob), frame size and condition;
cygnets grow on a logistic curve in age, wing feathers lagging the body.
Input and target: (8,) standardised with the train mean / std. Model: 8→32→ELU→16→ELU→3
(code) →16→ELU→32→ELU→8; MSE, Adam, batch 32, 30 epochs, 2400 birds (a quarter adults),
validation on 600.
The bug: the learning rate is set to 1e-5 (``lr=1e-5``), two orders below what Adam needs
for a net this size on 2250 steps: the reconstruction error creeps from 1.124 to 0.695 on
validation (95th percentile 2.77 → 1.74; the code has hardly begun to carry age and size)
and is still falling slowly at the end (control, ``lr=1e-3``: val MSE 0.155 → 0.0110, 95th
percentile 0.026).
Log: CSV per epoch ``swan_ae_epochs.csv`` (``epoch`` / ``train_recon`` / ``val_recon`` /
``val_recon_p95``); checkpoint ``swan_ae.pt`` with keys ``autoencoder`` / ``adam`` / ``epoch``
/ ``feat_mean`` / ``feat_std`` / ``columns``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

COLUMNS = ["weight_kg", "wing_mm", "bill_mm", "head_bill_mm", "tarsus_mm", "knob_mm",
           "bill_colour", "neck_mm"]


def birds(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    nz = lambda: torch.randn(n, generator=g)  # noqa: E731
    adult = (r(n) < 0.25).float()
    weeks = 5 + 7 * r(n)
    cock = (r(n) < 0.5).float()
    frame = 1 + 0.05 * nz()
    cond = 1 + 0.07 * nz()
    body = adult + (1 - adult) / (1 + torch.exp(-(weeks - 8) / 2.0))  # share of adult size
    feather = adult + (1 - adult) * ((weeks - 6) / 14).clamp(min=0.02)
    size = frame * (1 + 0.08 * cock)
    weight = 10.5 * size * body * cond + 0.2 * nz()
    wing = 60 + 540 * size * feather + 8 * nz()
    bill = 40 + 42 * size * body ** 0.7 + 1.5 * nz()
    head_bill = 90 + 100 * size * body ** 0.7 + 2.5 * nz()
    tarsus = 55 + 55 * size * body ** 0.5 + 2 * nz()
    knob = adult * (8 + 10 * cock) * size + 0.3 * body + 1.0 * nz()
    colour = (adult * (0.9 + 0.05 * nz()) + (1 - adult) * 0.05 * r(n)).clamp(0, 1)
    neck = 120 + 130 * size * body * cond ** 0.5 + 4 * nz()
    return torch.stack([weight, wing, bill, head_bill, tarsus, knob, colour, neck], 1)


class SwanAE(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(8, 32), nn.ELU(), nn.Linear(32, 16), nn.ELU(),
                                     nn.Linear(16, 3))
        self.decoder = nn.Sequential(nn.Linear(3, 16), nn.ELU(), nn.Linear(16, 32), nn.ELU(),
                                     nn.Linear(32, 8))

    def forward(self, x):
        return self.decoder(self.encoder(x))


def build():
    torch.manual_seed(0)
    return SwanAE()


def main():
    from _threehundredseventyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, rva = birds(2400, g), birds(600, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("means", [round(v, 2) for v in mean.tolist()])
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-5)  # gentle, the census data are small
    with open(out / "swan_ae_epochs.csv", "w") as log:
        log.write("epoch,train_recon,val_recon,val_recon_p95\n")
        for epoch in range(30):
            model.train()
            tot, n = 0.0, 0
            for (xb,) in dl:
                loss = F.mse_loss(model(xb), xb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, n = tot + loss.item() * len(xb), n + len(xb)
            model.eval()
            with torch.no_grad():
                per_bird = ((model(xva) - xva) ** 2).mean(1)
            row = [tot / n, per_bird.mean().item(), per_bird.quantile(0.95).item()]
            log.write(f"{epoch}," + ",".join(f"{v:.6f}" for v in row) + "\n")
            print(epoch, row)
    torch.save({"autoencoder": model.state_dict(), "adam": opt.state_dict(), "epoch": 30,
                "feat_mean": mean, "feat_std": std, "columns": COLUMNS}, out / "swan_ae.pt")
    finish(out, __file__, (xva[:64], xva[:64]), causes=["lr_too_low"],
           checkpoint="swan_ae.pt", log="swan_ae_epochs.csv",
           what="autoencoder of mute swan biometrics from the Swan Upping census;"
                " Adam at 1e-5, far too small to train in 30 epochs",
           complaint="用天鹅普查（Swan Upping）的测量数据训练了一个自编码器，想用重建误差找出"
                     "体重不正常的天鹅。30 个 epoch 之后验证集重建 MSE 只从 1.12 降到 0.69 左右，"
                     "95 分位数还有 1.8，几乎每只鸟都被当成异常。loss 一直在慢慢往下走，"
                     "但是太慢了，看不出什么时候能收敛。数据是标准化过的。")


if __name__ == "__main__":
    main()
