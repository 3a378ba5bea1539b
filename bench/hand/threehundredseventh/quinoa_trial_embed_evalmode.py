"""Plain torch: an embedding model predicts whether a quinoa variety-trial plot will come in
above the bitter threshold for saponin (> 0.11 % after the standard wash) from its variety,
its trial site and 6 readings of the season, so the breeder can drop sweet-line candidates
early. Embeddings: variety 40×8, site 30×6, + 6 standardised readings (altitude, mean night
temperature at flowering, rain at grain fill, soil salinity, nitrogen, days to maturity)
→ 20 → linear 64 + BatchNorm + ReLU + dropout 0.5 → linear 32 + BatchNorm + ReLU +
dropout 0.5 → 1 logit. Saponin comes from the variety's genetic level, raised by cool
nights, salinity and drought at grain fill, with site effects and plot noise; 10 % of the
lab calls flip near the threshold. BCE with logits, NAdam 2e-3 (weight decay 1e-4), batch
32, 30 epochs, 480 plots (few per variety × site), validation on 400.
The bug: ``model.train()`` is called once before the epoch loop while ``evaluate()`` puts
the model in eval mode at the end of every epoch, so from epoch 1 on the model trains with
dropout off and batch norm frozen on the statistics of epoch 0: train BCE 0.72 → 0.0057, val BCE 0.683 → 0.386 (epoch 11) →
0.647, val acc 0.84 (control, ``model.train()`` at the top of each epoch: train BCE 0.72 →
0.28, val BCE 0.683 → 0.307, still falling, val acc 0.87, bitter recall 0.91).
Log: CSV per epoch ``trial_epochs.csv`` (``epoch`` / ``bce`` / ``val_bce`` / ``val_acc`` /
``val_bitter_recall``); checkpoint ``trial_embed.ckpt`` with keys ``state_dict`` /
``optimizer`` / ``epoch`` / ``n_varieties`` / ``n_sites`` / ``reading_mean`` /
``reading_std``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

NV, NS = 40, 30


def plots(n, g, world):
    vgen, seff = world
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    v = torch.randint(0, NV, (n,), generator=g)
    s = torch.randint(0, NS, (n,), generator=g)
    alt = 2500 + 1500 * r(n)
    night = 12 - alt / 500 + 2 * torch.randn(n, generator=g)
    rain = 80 * r(n)
    salt = 8 * r(n) ** 2
    nitro = 120 * r(n)
    days = 130 + 50 * r(n)
    z = (vgen[v] + seff[s] + 0.15 * (6 - night) + 0.25 * salt - 0.02 * (rain - 40)
         + 0.004 * (nitro - 60) + 0.6 * torch.randn(n, generator=g))
    y = (z > 0).float()
    flip = (r(n) < 0.1) & (z.abs() < 0.8)
    y = torch.where(flip, 1 - y, y)
    read = torch.stack([alt, night, rain, salt, nitro, days], 1)
    return v, s, read, y.unsqueeze(1)


class TrialNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.variety = nn.Embedding(NV, 8)
        self.site = nn.Embedding(NS, 6)
        self.mlp = nn.Sequential(nn.Linear(20, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Dropout(0.5),
                                 nn.Linear(64, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.5),
                                 nn.Linear(32, 1))

    def forward(self, x):  # x: (N, 8) = variety id, site id, 6 standardised readings
        v, s = x[:, 0].long(), x[:, 1].long()
        return self.mlp(torch.cat([self.variety(v), self.site(s), x[:, 2:]], 1))


def build():
    torch.manual_seed(0)
    return TrialNet()


def main():
    from _threehundredseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    world = (1.5 * torch.randn(NV, generator=g), 0.8 * torch.randn(NS, generator=g))
    vtr, str_, rtr, ytr = plots(480, g, world)
    vva, sva, rva, yva = plots(400, g, world)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr = torch.cat([vtr[:, None].float(), str_[:, None].float(), (rtr - mean) / std], 1)
    xva = torch.cat([vva[:, None].float(), sva[:, None].float(), (rva - mean) / std], 1)
    print("bitter share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.NAdam(model.parameters(), lr=2e-3, weight_decay=1e-4)

    def evaluate():
        model.eval()
        with torch.no_grad():
            logit = model(xva)
        pred = (logit > 0).float()
        return (F.binary_cross_entropy_with_logits(logit, yva).item(),
                (pred == yva).float().mean().item(),
                (pred[yva == 1] == 1).float().mean().item())

    with open(out / "trial_epochs.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "bce", "val_bce", "val_acc", "val_bitter_recall"])
        model.train()
        for epoch in range(30):
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            row = [epoch, tot / len(xtr), *evaluate()]
            log.writerow([epoch] + [f"{v:.5f}" for v in row[1:]])
            print(row)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 30,
                "n_varieties": NV, "n_sites": NS, "reading_mean": mean, "reading_std": std},
               out / "trial_embed.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["train_in_eval_mode"],
           checkpoint="trial_embed.ckpt", log="trial_epochs.csv",
           what="embedding model (variety, site, readings) predicting bitter quinoa trial"
                " plots; the model is put in train mode once, before the epoch loop",
           complaint="我们用品种、试验点和生长季数据预测藜麦小区的皂苷是否超标。训练损失降得"
                     "很快，几乎到0，可是验证损失从第11轮左右开始一直上升。我们已经在两层"
                     "都加了0.5的dropout和BatchNorm，为什么还是过拟合得这么厉害？")


if __name__ == "__main__":
    main()
