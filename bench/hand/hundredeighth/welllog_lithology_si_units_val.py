"""Lithology from wireline logs: a 1-D CNN labels every depth sample (0.5 ft steps) of a
synthetic well as sandstone, shale, limestone or dolomite from five logs — gamma ray (API),
bulk density RHOB, neutron porosity NPHI (v/v), sonic slowness DT and deep resistivity (log10
ohm·m) — with lithology-specific responses, porosity varying bed by bed, beds 3–20 samples thick
and a 3-sample tool smoothing. Training: 48 intervals of 128 samples from the field-unit wells
(RHOB g/cm³, DT µs/ft); validation: 16 intervals from the offset well. Each log standardised
with the training wells' mean / std; 4 conv layers (k 5, 32 channels, dilations 1, 2, 4, 1) and
a 1×1 conv to 4 classes. Adam 2e-3, batch 8 intervals, 25 epochs; a CSV log per epoch.
Bug: the offset well's LAS came from another contractor in SI units — RHOB in kg/m³ (2650 for
quartz, not 2.65) and DT in µs/m (×3.281) — and the loader reads it with the same column names;
``to_field_units`` exists in the script but is not applied to it. Standardised with the
training statistics, the validation RHOB sits ~2·10⁴ standard deviations away and DT ~13: train
accuracy climbs 0.43 → 0.89 (epoch 5) → 0.986 (train loss 0.040), while the validation loss is
862 after epoch 1 and grows to 66 775, val accuracy 0.17–0.24 (every sample called shale or
every sample dolomite, flipping between the two). The control (``to_field_units`` applied):
val loss 1.25 → 0.050, val accuracy 0.65 → 0.981."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

LITHO = ["sandstone", "shale", "limestone", "dolomite"]
LOGS = ["GR", "RHOB", "NPHI", "DT", "RES"]
# matrix response per lithology: GR, RHOB(matrix), NPHI offset, DT(matrix), log10 RES
MATRIX = torch.tensor([[35., 2.65, -0.02, 55.5, 1.3],
                       [110., 2.55, 0.25, 90.0, 0.4],
                       [20., 2.71, 0.00, 47.5, 1.8],
                       [25., 2.87, 0.04, 43.5, 1.9]])


def interval(g, length=128):
    lab = torch.empty(length, dtype=torch.long)
    phi = torch.empty(length)
    i = 0
    while i < length:
        k = int(torch.randint(0, 4, (1,), generator=g))
        h = int(torch.randint(3, 21, (1,), generator=g))
        lab[i:i + h] = k
        phi[i:i + h] = (0.04 + 0.22 * torch.rand(1, generator=g)) * (0.4 if k == 1 else 1.0)
        i += h
    m = MATRIX[lab]
    logs = torch.stack([m[:, 0] + 12 * torch.randn(length, generator=g),
                        m[:, 1] * (1 - phi) + 1.0 * phi,
                        m[:, 2] + phi + 0.02 * torch.randn(length, generator=g),
                        m[:, 3] * (1 - phi) + 189 * phi,
                        m[:, 4] - 2.0 * phi + 0.15 * torch.randn(length, generator=g)])
    logs = F.avg_pool1d(logs[None], 3, 1, 1, count_include_pad=False)[0]
    return logs, lab


def to_si(logs):
    out = logs.clone()
    out[:, 1] *= 1000.0   # g/cm³ → kg/m³
    out[:, 3] *= 3.281    # µs/ft → µs/m
    return out


def to_field_units(logs):
    out = logs.clone()
    out[:, 1] /= 1000.0
    out[:, 3] /= 3.281
    return out


class LithoNet(nn.Module):
    def __init__(self):
        super().__init__()
        layers, c = [], 5
        for d in (1, 2, 4, 1):
            layers += [nn.Conv1d(c, 32, 5, padding=2 * d, dilation=d), nn.ReLU()]
            c = 32
        self.body = nn.Sequential(*layers)
        self.cls = nn.Conv1d(32, 4, 1)

    def forward(self, x):
        return self.cls(self.body(x))


def build():
    torch.manual_seed(0)
    return LithoNet()


def main():
    from _hundredeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr = [interval(g) for _ in range(48)]
    xtr, ytr = torch.stack([a for a, _ in tr]), torch.stack([b for _, b in tr])
    offset = [interval(g) for _ in range(16)]
    las_offset = to_si(torch.stack([a for a, _ in offset]))  # what the offset-well LAS holds
    yva = torch.stack([b for _, b in offset])
    mean, std = xtr.mean((0, 2), keepdim=True), xtr.std((0, 2), keepdim=True)
    xva = las_offset
    xtr, xva = (xtr - mean) / std, (xva - mean) / std
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "litho_history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["ep", "trn_loss", "trn_acc", "val_loss", "val_acc"])
    for ep in range(25):
        model.train()
        perm = torch.randperm(48, generator=g)
        tl, tc = 0.0, 0
        for i in range(0, 48, 8):
            idx = perm[i:i + 8]
            lo = model(xtr[idx])
            loss = F.cross_entropy(lo, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
            tc += (lo.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            row = [ep, round(tl / 48, 4), round(tc / ytr.numel(), 4),
                   round(F.cross_entropy(lv, yva).item(), 4),
                   round((lv.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        print(row, torch.bincount(lv.argmax(1).flatten(), minlength=4).tolist())
    f.close()
    torch.save({"net": model.state_dict(), "opt_state": opt.state_dict(), "epochs_done": 25,
                "logs": LOGS, "scaler": {"mean": mean, "std": std}}, out / "lithonet.tar")
    finish(out, __file__, (xva[:8], yva[:8]), causes=["distribution_shift"],
           checkpoint="lithonet.tar", log="litho_history.csv",
           what="well-log lithology CNN, validation well in SI units (kg/m3, us/m), "
                "standardised with field-unit statistics",
           complaint="The lithology CNN fits the training wells well (train accuracy 0.986, "
                     "loss 0.040 after 25 epochs) but on the offset well it is useless from the "
                     "very first epoch: validation loss 862 at epoch 0 growing to 66775, accuracy "
                     "between 0.17 and 0.24, and it labels the whole offset well as shale or as "
                     "dolomite.")


if __name__ == "__main__":
    main()
