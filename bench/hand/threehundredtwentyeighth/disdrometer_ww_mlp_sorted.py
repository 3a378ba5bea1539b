"""Plain torch: an MLP tags one minute of a weather station's disdrometer record with the
hydrometeor types present (multi-label: rain, snow, graupel, hail), for the automatic
present-weather code. Inputs, from the size x fall-speed record: the share of particles on
the rain fall-speed line (Gunn-Kinzer), below it (slow: snow), in graupel's 1.3 D^0.66 band,
fast and large (hail, > 5 mm), log of the particle count, mean and largest size (mm) and mean
fall speed (the station thermometer is not in the feed). The rule behind the labels is the
weather: the air temperature sets the phase (snow below +1 °C, rain above -1 °C, either in
between; graupel in showers at -5-8 °C; hail only in thunderstorm showers above 12 °C), each
type present gets a share of the particles, and the shares are read with counting noise
(10-160 particles a minute) and with 20-30 % of each type's particles landing in a
neighbouring band (splashes, wind, edge hits).
Input: (8,) standardised with the train mean / std. Model: 8->64->ReLU->64->ReLU->4; BCE
with logits, SGD 0.1 (momentum 0.9), batch 64, 15 epochs, 3200 minutes, validation on 800.
The bug: the training archive is the observer-coded event list, concatenated in present-
weather code order (rain, snow, graupel showers, thunderstorms with hail), and the loader
reads it as stored, ``DataLoader(train_set, batch_size=64)  # archive minutes, events kept
together``: each epoch walks about 2000 rain minutes, then the snow, then 288 graupel
minutes, then 257 hail minutes. Measured: val BCE 0.261 → 0.0157 with bumps (0.0252 →
0.0595 at epoch 11), train BCE up and down (0.037 → 0.0527 → 0.021 over the last six
epochs), graupel F1 0.06 / 0.15 / 0.0 over the first three epochs and 0.39-0.91 after,
macro F1 0.51 → 0.975 (control, ``shuffle=True``: val BCE 0.066 → 0.0088, graupel F1
0.0 → 0.952, macro F1 0.73 → 0.988).
Log: CSV per epoch ``ww_epochs.csv`` (``epoch`` / ``train_bce`` / ``val_bce`` /
``val_f1_macro`` / ``val_f1_snow`` / ``val_f1_graupel`` / ``val_f1_hail``); checkpoint
``ww_mlp.pt`` with keys ``mlp`` / ``sgd_state`` / ``epoch`` / ``feat_mean`` / ``feat_std``
/ ``labels``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

LABELS = ["rain", "snow", "graupel", "hail"]


def minutes(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    temp = -12 + 40 * r(n)
    shower = r(n) < 0.45
    rain = (temp > -1) & ((temp > 1) | (r(n) < 0.5))
    snow = (temp < 1) & ((temp < -1) | ~rain)
    graupel = shower & (temp > -5) & (temp < 8) & (r(n) < 0.6)
    hail = shower & (temp > 12) & (r(n) < 0.5)
    y = torch.stack([rain, snow, graupel, hail], 1).float()
    w = y * (0.3 + r(n, 4))
    share = w / w.sum(1, keepdim=True).clamp(min=1e-6)
    count = (10 + 150 * r(n) ** 2)
    # splashes, wind and edge hits put a particle in a neighbouring band of the record
    spill = torch.tensor([[0.70, 0.10, 0.15, 0.05], [0.10, 0.80, 0.10, 0.00],
                          [0.15, 0.10, 0.70, 0.05], [0.10, 0.00, 0.20, 0.70]])
    noisy = share @ spill + torch.randn(n, 4, generator=g) / count.sqrt().unsqueeze(1)
    d_mean = (share * torch.tensor([1.2, 3.5, 2.0, 7.0])).sum(1) * (0.8 + 0.4 * r(n))
    d_max = d_mean * (1.8 + 1.2 * r(n))
    v_mean = (share * torch.tensor([5.5, 1.0, 2.2, 10.0])).sum(1) * (0.9 + 0.2 * r(n))
    x = torch.cat([noisy.clamp(0, 1), torch.log(count).unsqueeze(1),
                   torch.stack([d_mean, d_max, v_mean], 1)], 1)
    # present-weather code of the minute, as the observer wrote it
    code = torch.where(hail, 3, torch.where(graupel, 2, torch.where(snow, 1, 0)))
    return x, y, code


class WWNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 4))

    def forward(self, x):
        return self.mlp(x)


def f1(pred, y):
    tp = (pred * y).sum(0)
    return 2 * tp / (pred.sum(0) + y.sum(0)).clamp(min=1)


def main():
    from _threehundredtwentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    raw, ytr, code = minutes(3200, g)
    order = torch.argsort(code, stable=True)  # the event list, by present-weather code
    raw, ytr = raw[order], ytr[order]
    rva, yva, _ = minutes(800, g)
    mean, std = raw.mean(0), raw.std(0)
    xtr, xva = (raw - mean) / std, (rva - mean) / std
    print("label rates", ytr.mean(0).tolist())
    train_set = TensorDataset(xtr, ytr)
    torch.manual_seed(0)
    dl = DataLoader(train_set, batch_size=64)  # archive minutes, events kept together
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    with open(out / "ww_epochs.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_bce", "val_bce", "val_f1_macro", "val_f1_snow",
                      "val_f1_graupel", "val_f1_hail"])
        for epoch in range(15):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            s = f1((logits > 0).float(), yva)
            row = [tot / len(xtr), F.binary_cross_entropy_with_logits(logits, yva).item(),
                   s.mean().item(), s[1].item(), s[2].item(), s[3].item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, [round(v, 4) for v in row], [round(v, 3) for v in s.tolist()])
    torch.save({"mlp": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 15,
                "feat_mean": mean, "feat_std": std, "labels": LABELS}, out / "ww_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["data_not_shuffled"],
           checkpoint="ww_mlp.pt", log="ww_epochs.csv",
           what="MLP tagging rain / snow / graupel / hail in a disdrometer minute (multi-label);"
                " the training archive, sorted by present-weather code, is read unshuffled",
           complaint="Present-weather tagger on our disdrometer minutes: validation BCE bounces"
                     " around instead of settling (0.025, then 0.06, then 0.029 a few epochs"
                     " later) and the graupel F1 swings between 0.6 and 0.9 from one epoch to"
                     " the next; the first three epochs it found almost no graupel at all. Rain"
                     " and snow look fine. Is the model too small for graupel?")


def build():
    torch.manual_seed(0)
    return WWNet()


if __name__ == "__main__":
    main()
