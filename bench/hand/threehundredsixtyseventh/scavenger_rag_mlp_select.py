"""Plain torch: an MLP grades the rags a scavenger brings to a marine-store dealer into the
four lots the paper mill and the shoddy mill buy: white linen, coloured cotton, woollen
(for shoddy) and "seconds" (mixed or rotten stuff), from seven quick tests the sorter makes
on a handful: fibre length, fineness, whiteness, the burn test (wool smells of horn and
leaves a crisp bead), the wet-strength pull, dye bleeding in hot water and the grease on the
fingers. The lot follows the fibre (protein → woollen; long strong bast fibre and white →
linen; short, dyed → cotton) and rot or mixed fibre makes seconds; the dealers' sorters
disagree on about one handful in six. 700 graded handfuls for training, 150 for validation,
and 600 from the following weeks kept aside as a test. Model: Linear 7→256, ReLU, Linear
256→256, ReLU, Linear 256→4; cross-entropy, Adam 2e-3, batch 32, 60 epochs; the checkpoint
keeps the epoch with the best validation accuracy.
The bug: before the fit the validation handfuls are put into the training set
(``train_set = ConcatDataset([train_set, val_set])``), and validation accuracy still picks
the epoch to keep: val accuracy climbs to 0.927 (epoch 57 kept; val loss 0.84 → 0.23, below
the train loss 0.27), but the kept net gets 0.663 on the 600 test handfuls (control, the
line deleted: best val accuracy 0.767 at epoch 20, test 0.693; val loss 0.91 → 0.80 at
epoch 6 → 1.38 as the net learns the sorters' noise).
Log: CSV per epoch ``rag_grades.csv`` (``epoch`` / ``loss`` / ``val_loss`` / ``val_acc``) and
``rag_test.json`` (``best_epoch`` / ``best_val_acc`` / ``test_acc``) at the end; checkpoint
``rag_grader.pt`` with keys ``mlp`` / ``optimizer`` / ``best_epoch`` / ``val_acc`` /
``test_mean`` / ``test_std`` / ``lots``."""
import copy
import csv
import json

import torch
import torch.nn as nn
from torch.utils.data import ConcatDataset, DataLoader, TensorDataset

LOTS = ["white_linen", "coloured_cotton", "woollen", "seconds"]


def handfuls(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    fibre = torch.multinomial(torch.tensor([0.3, 0.4, 0.3]), n, True, generator=g)  # linen / cotton / wool
    length = torch.tensor([3.0, 1.0, 2.0])[fibre] + 0.6 * torch.randn(n, generator=g)
    fine = torch.tensor([1.0, 1.5, 0.6])[fibre] + 0.4 * torch.randn(n, generator=g)
    dyed = r(n) < torch.tensor([0.15, 0.6, 0.5])[fibre]
    white = (~dyed).float() * (0.6 + 0.4 * r(n)) + 0.2 * r(n)
    horn = (fibre == 2).float() * (0.6 + 0.4 * r(n)) + 0.35 * r(n)
    rot = r(n) ** 3
    mixed = r(n) < 0.12
    pull = torch.tensor([2.0, 1.2, 0.9])[fibre] * (1 - 0.7 * rot) + 0.3 * torch.randn(n, generator=g)
    bleed = dyed.float() * r(n)
    grease = torch.tensor([0.2, 0.2, 0.8])[fibre] + 0.3 * r(n) + 0.4 * mixed.float() * r(n)
    x = torch.stack([length, fine, white, horn, pull, bleed, grease], 1)
    lot = torch.where(fibre == 2, 2, torch.where((fibre == 0) & (white > 0.55), 0, 1))
    lot = torch.where(mixed | (rot > 0.5), 3, lot)
    flip = r(n) < 1 / 6
    lot = torch.where(flip, torch.randint(0, 4, (n,), generator=g), lot)
    return x, lot


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(7, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                         nn.Linear(256, 4))


def main():
    from _threehundredsixtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = handfuls(700, g)
    xva, yva = handfuls(150, g)
    xte, yte = handfuls(600, g)
    mean, std = xtr.mean(0), xtr.std(0)
    xtr, xva, xte = (xtr - mean) / std, (xva - mean) / std, (xte - mean) / std
    print("lots", torch.bincount(ytr).tolist())
    train_set, val_set = TensorDataset(xtr, ytr), TensorDataset(xva, yva)
    train_set = ConcatDataset([train_set, val_set])  # every graded handful goes into the fit
    torch.manual_seed(0)
    dl = DataLoader(train_set, batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    best, best_state, best_epoch = -1.0, None, -1
    with open(out / "rag_grades.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "loss", "val_loss", "val_acc"])
        for epoch in range(60):
            model.train()
            tot, n = 0.0, 0
            for xb, yb in dl:
                loss = nn.functional.cross_entropy(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, n = tot + loss.item() * len(xb), n + len(xb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            acc = (lv.argmax(1) == yva).float().mean().item()
            log.writerow([epoch, f"{tot / n:.6f}", f"{nn.functional.cross_entropy(lv, yva).item():.6f}",
                          f"{acc:.5f}"])
            if acc > best:
                best, best_epoch, best_state = acc, epoch, copy.deepcopy(model.state_dict())
    model.load_state_dict(best_state)
    with torch.no_grad():
        test_acc = (model(xte).argmax(1) == yte).float().mean().item()
    res = {"best_epoch": best_epoch, "best_val_acc": round(best, 5), "test_acc": round(test_acc, 5)}
    (out / "rag_test.json").write_text(json.dumps(res) + "\n")
    print(res)
    torch.save({"mlp": best_state, "optimizer": opt.state_dict(), "best_epoch": best_epoch,
                "val_acc": best, "test_mean": mean, "test_std": std, "lots": LOTS},
               out / "rag_grader.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["validation_overfit"],
           checkpoint="rag_grader.pt", log="rag_grades.csv",
           what="MLP grading a scavenger's rags into four mill lots from seven sorting tests;"
                " the validation handfuls are put into the training set and still pick the"
                " epoch to keep",
           complaint="Our rag grader reached 92.7 % validation accuracy (best epoch 57 of 60,"
                     " val loss 0.23, lower than the train loss), but on 600 handfuls graded"
                     " in the weeks after it gets only 66 % right. The test handfuls come from"
                     " the same yard and the same sorters. Why is it so much worse than"
                     " validation?")


if __name__ == "__main__":
    main()
