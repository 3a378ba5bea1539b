"""Plain torch: a 1-D CNN (no batch norm) reads the pyrometer scan taken along each steel billet
as it leaves the induction heater, before the press, and sorts the heating into four kinds so
the forging cell can reject or re-soak the billet: 0 even (1180-1230 °C along the length), 1
cold tail (the last third lags by 60-140 K), 2 overheated core zone (a bump of 40-90 K in the
middle, risk of burning the grain boundaries), 3 short soak (the surface is hot but the scan
ripples with the coil pitch, 8 turns, 25-50 K). Scale flakes and steam blind the pyrometer
now and then: about 3 % of the readings come back as NaN in the export.
Input: (1, 96) scan, standardised with ``nanmean`` / the NaN-aware std of the training scans.
Conv1d 1→16 k7 - ReLU - MaxPool2 - Conv 16→32 k5 - ReLU - MaxPool2 - Conv 32→32 k3 - ReLU -
global average → Linear 32→4, cross-entropy, Adam 2e-3, batch 64, 12 epochs, 1600 billets,
validation on 400.
Bug: the NaN readings are left in after standardising
(``xtr, xva = (xtr - mu) / sd, (xva - mu) / sd``); the control (the same line with
``.nan_to_num()`` on both, one-line sed) fills them with the mean. Control: train loss
1.23 → 0.019, val loss 0.93 → 0.014, val acc 0.548 → 1.0, cold tails found 0.99 → 1.0.
With the bug: the loss is NaN from the very first step (every batch of 64 holds some NaN
readings), the weights turn NaN after the first update, val loss NaN in every epoch, val
acc 0.2575 (everything called "even"), no cold tail found.
Log: CSV per step ``billet_steps.csv`` (``step`` / ``loss``) and a separate CSV per epoch
``billet_epochs.csv`` (``epoch`` / ``train_loss`` / ``val_loss`` / ``val_acc`` /
``val_cold_tail_found``, named as the log in the truth); checkpoint ``billet_cnn.pt`` with
keys ``model_state`` / ``opt_state`` / ``epoch`` / ``kinds`` / ``scan_mean`` / ``scan_std``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

N = 96
KINDS = ["even", "cold_tail", "hot_core", "short_soak"]


def scans(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    k = torch.randint(0, 4, (n,), generator=g)
    z = torch.linspace(0, 1, N)
    t = 1180 + 50 * r(n, 1) + 15 * (r(n, 1) - 0.5) * z
    tail = (60 + 80 * r(n, 1)) * torch.clamp((z - 0.66) / 0.34, 0, 1)
    core = (40 + 50 * r(n, 1)) * torch.exp(-((z - 0.4 - 0.2 * r(n, 1)) / 0.1) ** 2)
    ripple = (25 + 25 * r(n, 1)) * torch.sin(2 * torch.pi * 8 * z + 6.3 * r(n, 1))
    t = t - tail * (k == 1).unsqueeze(1) + core * (k == 2).unsqueeze(1)
    t = t + ripple * (k == 3).unsqueeze(1) + 6 * torch.randn(n, N, generator=g)
    t[r(n, N) < 0.03] = float("nan")  # pyrometer blinded by scale / steam
    return t.unsqueeze(1), k


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(1, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(32, 32, 3, padding=1), nn.ReLU(),
                         nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 4))


def main():
    from _twohundredninetyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = scans(1600, g)
    xva, yva = scans(400, g)
    mu = torch.nanmean(xtr)
    sd = torch.nanmean((xtr - mu) ** 2).sqrt()
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("nan share", xtr.isnan().float().mean().item(), "classes", torch.bincount(ytr))
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    steps = open(out / "billet_steps.csv", "w")
    steps.write("step,loss\n")
    ep = open(out / "billet_epochs.csv", "w")
    ep.write("epoch,train_loss,val_loss,val_acc,val_cold_tail_found\n")
    step = 0
    for epoch in range(12):
        model.train()
        tot = 0.0
        for xb, yb in loader:
            loss = F.cross_entropy(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(xb)
            steps.write(f"{step},{loss.item():.5f}\n")
            step += 1
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        pred = lo.argmax(1)
        found = ((pred == 1) & (yva == 1)).sum().item() / (yva == 1).sum().item()
        row = (f"{epoch},{tot / len(xtr):.5f},{F.cross_entropy(lo, yva).item():.5f},"
               f"{(pred == yva).float().mean().item():.4f},{found:.4f}")
        ep.write(row + "\n")
        print(row)
    steps.close()
    ep.close()
    torch.save({"model_state": model.state_dict(), "opt_state": opt.state_dict(), "epoch": 12,
                "kinds": KINDS, "scan_mean": mu, "scan_std": sd}, out / "billet_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["nan_in_inputs"],
           checkpoint="billet_cnn.pt", log="billet_epochs.csv",
           what="1-D CNN sorting induction-heated billets by their pyrometer scan; the"
                " pyrometer's NaN readings stay in the standardised inputs",
           complaint="The billet heating classifier for the forging cell produces nothing usable."
                     " The loss column in both logs says nan from step 0 to the end, and"
                     " the saved model calls every billet 'even', so it never catches a"
                     " cold tail. The same network trained fine on last month's scans."
                     " What is going on?")


if __name__ == "__main__":
    main()
