"""Volcano observatory (volcanology): a MultiGAS station on the crater rim of a volcano that was
instrumented last year reports, per 6-h window, log CO2/SO2, log H2S/SO2, log H2O/CO2, log SO2
flux (t/d), fumarole outlet temperature (°C), log RSAM of the nearest seismometer and the
window's tilt rate (µrad/day), standardised. The observatory wants its state: 0 quiet,
1 unrest, 2 pre-eruptive. Only 480 labelled windows exist, so the script starts from the
encoder of a network trained on a well-studied volcano's archive (4 alert levels, 4096
windows, trained first in this script), freezes that encoder (too little data to move it) and
trains a new 3-class head on top: MLP encoder 7 → 64 → 64 → 32 (ReLU), Adam 3e-3, batch 32,
25 epochs.
Bug: the optimizer is created from ``model.parameters()`` right after loading the archive
weights, and the new 3-class head is put on the model after that, so the head the model uses
is not in the optimizer and keeps its random init (and with the encoder frozen nothing the
model uses is trained) → params_not_in_optimizer.
Run: train loss 2.0259, val loss 2.0008, val acc 0.079, pre-eruptive recall 0.011 at every one
of the 25 epochs (the same numbers to 4 decimals); the Adam state is empty.
Control (the optimizer built after the freeze and the head swap): val acc 0.40 → 0.81 (epoch 2)
→ 0.846, val loss 0.853 → 0.387, train loss 1.395 → 0.296, pre-eruptive recall 0.95."""
import csv
import sys

import torch
import torch.nn.functional as F
from torch import nn

FEATURES = ["log_co2_so2", "log_h2s_so2", "log_h2o_co2", "log_so2_flux", "t_outlet",
            "log_rsam", "tilt_rate"]
STATES = ["quiet", "unrest", "pre_eruptive"]


def windows(n, levels, g, shift=0.0):
    """Deeper fresh magma → CO2/SO2 up first (unrest), then SO2 flux, temperature, RSAM, tilt
    (pre-eruptive); H2S/SO2 falls as the system dries out."""
    y = torch.randint(0, levels, (n,), generator=g)
    a = y.float() / (levels - 1) + 0.12 * torch.randn(n, generator=g)     # activity 0..1
    b = (a - 0.5).clamp(min=0) * 2                                         # late stage
    x = torch.stack([1.2 * a - 0.8 * b, -1.0 * a, 0.4 * torch.randn(n, generator=g) - 0.3 * a,
                     0.4 * a + 1.2 * b, 0.5 * a + 0.9 * b, 0.2 * a + 1.1 * b,
                     1.0 * b + 0.3 * torch.randn(n, generator=g)], 1)
    x = x + shift + 0.35 * torch.randn(n, 7, generator=g)
    return x, y


class GasNet(nn.Module):
    def __init__(self, n_out):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(7, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                     nn.Linear(64, 32), nn.ReLU())
        self.head = nn.Linear(32, n_out)

    def forward(self, x):
        return self.head(self.encoder(x))


def build():
    torch.manual_seed(0)
    model = GasNet(4)
    model.head = nn.Linear(32, len(STATES))
    return model


def train_archive(g):
    """The archive volcano's network (4 alert levels), as it was trained last year."""
    x, y = windows(4096, 4, g)
    torch.manual_seed(1)
    net = GasNet(4)
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    for _ in range(4):
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(net(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    return net.state_dict()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredthirtyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    torch.save(train_archive(g), out / "archive_gasnet.pt")
    xtr, ytr = windows(480, 3, g, shift=0.3)
    xva, yva = windows(240, 3, g, shift=0.3)

    torch.manual_seed(0)
    model = GasNet(4)
    model.load_state_dict(torch.load(out / "archive_gasnet.pt"))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for p in model.encoder.parameters():             # 480 windows: keep the archive encoder
        p.requires_grad_(False)
    model.head = nn.Linear(32, len(STATES))          # new volcano: 3 states, not 4 levels

    f = open(out / "finetune_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["Epoch", "Train Loss", "Val Loss", "Val Accuracy", "Pre-eruptive Recall"])
    for epoch in range(25):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tot = 0.0
        for i in range(0, len(xtr), 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            pred = lv.argmax(1)
            rec = (pred[yva == 2] == 2).float().mean().item()
            row = [epoch + 1, round(tot / len(xtr), 4), round(F.cross_entropy(lv, yva).item(), 4),
                   round((pred == yva).float().mean().item(), 4), round(rec, 4)]
        w.writerow(row)
        print(row)
    f.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 25,
                "features": FEATURES, "states": STATES, "init_from": "archive_gasnet.pt"},
               out / "multigas_finetuned.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="multigas_finetuned.pt", log="finetune_log.csv",
           what="MultiGAS fumarole state MLP fine-tuned from an archive volcano; new 3-class head "
                "attached after the optimizer was built",
           complaint="Fine-tuning our archive gas model for the new MultiGAS station does nothing at all. "
                     "Training loss is 2.0259 after epoch 1 and still exactly 2.0259 after epoch 25, "
                     "validation loss 2.0008 every epoch, validation accuracy 0.079 (three states, so "
                     "worse than guessing) and the pre-eruptive recall is 0.011. I froze the archive "
                     "encoder because we only have 480 labelled windows and train a new 3-state head "
                     "with Adam 3e-3. Is the archive encoder just useless for this volcano?")


if __name__ == "__main__":
    main()
