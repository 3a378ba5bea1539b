"""Plain torch: crash detection from a pro peloton's bike-computer telemetry. Each 2-second
window is 10 features (speed, speed drop, lean angle, lean rate, cadence, power, vertical and
lateral acceleration peaks, heart-rate jump, gradient), standardised; a crash window shifts four
of them by ~0.9 sd. Crashes are rare: 2.5 % of 6000 training windows. An MLP 10-64-64-2 with
plain ``CrossEntropyLoss`` (no class weights, no resampling), Adam 1e-3, batch 128, 12 epochs.
Bug (class_imbalance): the net learns to say "no crash": val accuracy ≈ the no-crash share,
crash recall 0. Control (``weight=torch.tensor([1.0, 39.0])``): crash recall 0.78, val acc 0.77 (500 flagged);
the broken run: val acc 0.973, recall 0.0 for 10 epochs, 0.037 (2 of 54) at the end."""
import csv
import sys

import torch
import torch.nn as nn

RATE = 0.025


def telemetry(n, g):
    y = (torch.rand(n, generator=g) < RATE).long()
    x = torch.randn(n, 10, generator=g)
    x[:, [1, 2, 6, 7]] += 0.9 * y[:, None] * torch.tensor([1.0, 1.0, 1.0, 0.8])
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 2))


def main():
    from _hundredfortyninth import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = telemetry(6000, g)
    xva, yva = telemetry(2000, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    rows = []
    for epoch in range(1, 13):
        model.train()
        perm = torch.randperm(len(xtr))
        tot = 0.0
        for i in range(0, len(xtr), 128):
            idx = perm[i:i + 128]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            pred = model(xva).argmax(1)
        acc = (pred == yva).float().mean().item()
        recall = ((pred == 1) & (yva == 1)).sum().item() / max(1, (yva == 1).sum().item())
        flagged = (pred == 1).sum().item()
        rows.append({"epoch": epoch, "loss": round(tot / len(xtr), 5), "val_acc": round(acc, 4),
                     "crash_recall": round(recall, 4), "crashes_flagged": flagged})
        print(rows[-1], file=sys.stderr)
    with open(out / "crash_log.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"epoch": 12, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "val_acc": acc}, out / "crashnet.pt")
    finish(out, __file__, (xva[:256], yva[:256]), causes=["class_imbalance"],
           checkpoint="crashnet.pt", log="crash_log.csv",
           what="peloton crash detector, 2.5 % crashes, unweighted cross-entropy",
           complaint="My crash detector reports 97.3 % validation accuracy after 12 epochs, but "
                     "it almost never calls a crash: for 10 epochs it flagged zero windows, and at the "
                     "end it caught 2 of the 54 crashes in validation (recall 0.037). Loss is 0.086.")


if __name__ == "__main__":
    main()
