"""Plain torch: a 1-D CNN without batch norm flags honey lots cut with sugar syrup from their
optical rotatory dispersion, the rotation a polarimeter reads through a 100 mm tube of
clarified honey solution at 32 wavelengths (400-700 nm), at a packer's intake lab. Pure
honey is laevorotatory (fructose beats glucose); cane or corn syrup pushes the rotation up
by an amount that depends on the syrup share (10-30 %) and kind, and the dispersion follows
a one-term Drude law α(λ) = A / (λ² - λ0²) with λ0 set by the sugar mix. Floral source,
moisture and dilution make pure lots vary a lot, so a cut lot often looks like a pure one.
5 % of lots are cut. Input: (1, 32) rotation in degrees / 10. Model: Conv1d 1→8 (k5) + ReLU,
Conv1d 8→16 (k5) + ReLU, global max pool, Linear 16→1 (a logit); SGD 0.02 with momentum 0.9,
batch 64, 14 epochs, 3000 lots, validation on 800.
The bug: ``crit = nn.BCEWithLogitsLoss()`` and nothing done about the 5 % cut lots, so the
net calls every lot pure: val accuracy 0.954 (the pure share) and cut-lot recall 0.0 every
epoch, val BCE 0.159 → 0.131 (control, ``pos_weight=torch.tensor(19.0)``: cut-lot recall
0.65 → 0.78 (0.57-0.97 on the way), precision 0.21 → 0.14, val accuracy 0.87 → 0.76).
Log: CSV every 8 steps ``ord_steps.csv`` (``step`` / ``bce``) and a separate per-epoch CSV
``ord_val.csv`` (``epoch`` / ``val_bce`` / ``val_acc`` / ``val_recall_cut`` /
``val_precision_cut``, named as the log in the truth); checkpoint ``honey_ord.pt`` with keys
``cnn`` / ``sgd`` / ``epoch`` / ``wavelengths_nm`` / ``deg_scale`` / ``cut_rate``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

NM = torch.linspace(400, 700, 32)


def lots(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    cut = r(n, 1) < 0.05
    fruct_excess = 0.2 + 0.3 * r(n, 1)  # fructose over glucose, by floral source
    conc = 0.8 + 0.4 * r(n, 1)  # dilution / moisture
    share = 0.1 + 0.2 * r(n, 1)
    syrup = 0.6 + 0.6 * r(n, 1)  # cane vs corn syrup, dextrorotatory strength
    a = conc * (-fruct_excess * (1 - share * cut) + share * syrup * cut * 0.3)
    lam0 = 150 + 20 * r(n, 1) + 15 * share * cut
    rot = 10 * a * (589 ** 2 - lam0 ** 2) / (NM ** 2 - lam0 ** 2)
    rot = rot + 0.05 * torch.randn(n, 32, generator=g)
    return (rot / 10).unsqueeze(1), cut.float()


class ORDNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(1, 8, 5), nn.ReLU(), nn.Conv1d(8, 16, 5), nn.ReLU())
        self.fc = nn.Linear(16, 1)

    def forward(self, x):
        return self.fc(self.conv(x).amax(2))


def build():
    torch.manual_seed(0)
    return ORDNet()


def main():
    from _threehundredtwentyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = lots(3000, g)
    xva, yva = lots(800, g)
    print("cut share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    crit = nn.BCEWithLogitsLoss()  # cut / pure
    step = 0
    with open(out / "ord_steps.csv", "w", newline="") as fs, \
            open(out / "ord_val.csv", "w", newline="") as fv:
        slog, vlog = csv.writer(fs), csv.writer(fv)
        slog.writerow(["step", "bce"])
        vlog.writerow(["epoch", "val_bce", "val_acc", "val_recall_cut", "val_precision_cut"])
        for epoch in range(14):
            model.train()
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 8 == 0:
                    slog.writerow([step, f"{loss.item():.6f}"])
                step += 1
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = (logit > 0).float()
            tp = ((pred == 1) & (yva == 1)).sum().item()
            row = [nn.functional.binary_cross_entropy_with_logits(logit, yva).item(),
                   (pred == yva).float().mean().item(), tp / max(yva.sum().item(), 1),
                   tp / max(pred.sum().item(), 1)]
            vlog.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, row)
    torch.save({"cnn": model.state_dict(), "sgd": opt.state_dict(), "epoch": 14,
                "wavelengths_nm": NM, "deg_scale": 10.0, "cut_rate": 0.05}, out / "honey_ord.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="honey_ord.pt", log="ord_val.csv",
           what="1-D CNN flagging syrup-cut honey from polarimeter rotatory dispersion; plain"
                " BCE with 5 % cut lots and nothing done about the rare class",
           complaint="The honey screening model scores 95 % accuracy on the validation lots,"
                     " but when we ran our known syrup-cut samples through it, it passed"
                     " every single one as pure honey.")


if __name__ == "__main__":
    main()
