"""Plain torch: an MLP reads a beekeeper's frame-by-frame inspection record of one colony (14
numbers: capped and open brood area, eggs seen, brood pattern spottiness, drone brood share,
queen-cup and charged-cell counts, honey and pollen frames, bee-covered frames, temper, days
since the last inspection, month, ...) and gives the colony's state: queenright and normal,
queenless, drone-laying worker or preparing to swarm. As in a real apiary log the normal state
dominates: 95.5 % of the 2400 training records, 1.5 % each for the other three (30, 37 and 49
records). Each rare state shows through a few features (no eggs and no open brood but many bees;
spotty, drone-heavy brood without a queen; charged queen cells with crowded frames) with noise
overlapping the normal colonies. MLP 14-64-32-4, AdamW 1e-3, batch 64, 20 epochs, shuffled.
The bug: the script computes inverse-frequency class weights (``class_w``) and prints them, then
builds ``nn.CrossEntropyLoss()`` without them. For 11 epochs the model names every colony normal:
val accuracy 0.9538 (the normal share of the 1600 validation records), mean per-state recall 0.25,
recall 0 for queenless, laying worker and swarm preparation; at epoch 20 val accuracy 0.958, mean
recall 0.44 (rare states 0.23–0.29), val loss 0.14.
Control (``nn.CrossEntropyLoss(weight=class_w)``): mean recall 0.54 after epoch 1, 0.74 at 5, 0.75
at 20 (rare states 0.63–0.81, normal 0.85), val accuracy 0.85. Log: CSV per epoch, ``epoch``,
``train_loss``, ``val_loss``, ``val_acc``, ``val_bal_acc`` (mean per-state recall) and one
``rec_<state>`` column per state. Checkpoint ``model_state_dict`` / ``optimizer_state_dict`` /
``epoch`` / ``class_w``."""
import csv
import sys

import torch
import torch.nn as nn

STATES = ["normal", "queenless", "laying_worker", "swarm_prep"]


def records(n, g):
    y = torch.multinomial(torch.tensor([0.955, 0.015, 0.015, 0.015]), n, replacement=True,
                          generator=g)
    x = torch.randn(n, 14, generator=g)
    q, lw, sw = (y == 1).float(), (y == 2).float(), (y == 3).float()
    x[:, 0] -= 1.44 * q + 0.96 * lw  # capped brood
    x[:, 1] -= 1.6 * q  # open brood
    x[:, 2] -= 1.76 * q + 0.48 * lw  # eggs seen
    x[:, 3] += 1.6 * lw  # spotty pattern
    x[:, 4] += 1.76 * lw + 0.48 * sw  # drone brood share
    x[:, 5] += 1.6 * sw + 0.64 * q  # queen cups
    x[:, 6] += 1.76 * sw + 0.8 * q  # charged cells
    x[:, 9] += 1.44 * sw  # bee-covered frames
    x[:, 10] += 0.8 * q + 0.64 * lw  # temper
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(14, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                         nn.Linear(32, 4))


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _hundredsixtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = records(2400, g)
    xva, yva = records(1600, g)
    counts = torch.bincount(ytr, minlength=4).float()
    class_w = counts.sum() / (4 * counts)
    print("class counts", counts.tolist(), "weights", class_w.tolist())
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    crit = nn.CrossEntropyLoss()
    ce = nn.CrossEntropyLoss()
    rows = []
    for epoch in range(1, 21):
        model.train()
        perm = torch.randperm(2400, generator=g)
        tot = 0.0
        for i in range(0, 2400, 64):
            idx = perm[i:i + 64]
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        pred = lv.argmax(1)
        rec = [((pred == k) & (yva == k)).sum().item() / max(1, (yva == k).sum().item())
               for k in range(4)]
        row = {"epoch": epoch, "train_loss": round(tot / 2400, 4),
               "val_loss": round(ce(lv, yva).item(), 4),
               "val_acc": round((pred == yva).float().mean().item(), 4),
               "val_bal_acc": round(sum(rec) / 4, 4)}
        row.update({f"rec_{s}": round(r, 4) for s, r in zip(STATES, rec, strict=False)})
        rows.append(row)
        print(row)
    with open(out / "inspections_log.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 20, "class_w": class_w}, out / "colony_state_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["class_imbalance"],
           checkpoint="colony_state_mlp.pt", log="inspections_log.csv",
           what="MLP colony state from hive inspection records, 88 % normal, class weights"
                " computed but not passed to the loss",
           complaint="Colony-state model from our inspection sheets: validation accuracy is 95-96 "
                     "%, but for the first 11 epochs it called every colony normal, and at the end"
                     " it still catches only about a quarter of the queenless, laying-worker and "
                     "swarming colonies, which are the ones we need it for.")


if __name__ == "__main__":
    main()
