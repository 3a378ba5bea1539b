"""Plain torch: an MLP with BatchNorm predicts, at the end of the nursery stage, whether a tank
lot of farmed abalone will reach market grade (binary) at harvest, from the farm's lot table:
spat shell length, spat weight, water temperature and its swing, dissolved oxygen, kelp
ration, stocking density, shell-borer count, moult-free days, pump outages and two noise
columns. Market grade comes from a nonlinear growth score of these plus noise, so it is only
partly predictable. MLP in-64-BN-ReLU-64-BN-ReLU-1, ``BCEWithLogitsLoss``, AdamW 2e-3, batch
64, 12 epochs of 1600 lots. Checkpoint dict ``state_dict`` / ``optimizer`` / ``step``; a TSV
per epoch (``epoch``, ``bce``, ``val_bce``, ``val_acc``).
The bug: the lot table also holds ``harvest_weight_g``, weighed a year later at harvest, and
market grade is defined by it (≥ 90 g); the feature list is built as "every column except the
label", so the model reads the answer: val accuracy 0.90 after epoch 1, 0.97–0.98 from epoch 3,
val BCE 0.356 → 0.063 (train 0.48 → 0.061).
Control (``if c not in ("market_grade", "harvest_weight_g")``): val accuracy 0.755 → 0.78–0.80
(0.775 at epoch 12), val BCE 0.486 → 0.424 at epoch 3–6, then creeping up to 0.46 (train 0.58 →
0.32)."""
import csv

import torch
import torch.nn as nn

COLUMNS = ["spat_len_mm", "spat_wt_g", "temp_c", "temp_swing", "do_mgl", "kelp_ration",
           "density", "borers", "moult_free_days", "pump_outages", "tag_a", "tag_b",
           "harvest_weight_g", "market_grade"]


def lot_table(n, g):
    z = torch.randn(n, 12, generator=g)
    growth = (0.9 * z[:, 0] + 0.5 * z[:, 1] - 0.6 * (z[:, 2] - 0.3) ** 2 + 0.4 * z[:, 4]
              + 0.5 * torch.tanh(z[:, 5]) - 0.5 * z[:, 6] - 0.3 * z[:, 7].clamp(min=0)
              + 0.3 * z[:, 8] - 0.3 * z[:, 9].abs() - 0.3 * z[:, 3] * z[:, 2])
    harvest = 90 + 14 * (growth + 1.3 * torch.randn(n, generator=g))
    grade = (harvest >= 90).float()
    table = {c: z[:, i] for i, c in enumerate(COLUMNS[:12])}
    table["harvest_weight_g"] = harvest
    table["market_grade"] = grade
    return table


def build():
    torch.manual_seed(0)
    n_in = 13
    return nn.Sequential(nn.Linear(n_in, 64), nn.BatchNorm1d(64), nn.ReLU(),
                         nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 1))


def main():
    from _twohundredfortyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    table = lot_table(2000, g)
    features = [c for c in table if c != "market_grade"]
    x = torch.stack([table[c] for c in features], 1)
    x = (x - x[:1600].mean(0)) / x[:1600].std(0)
    y = table["market_grade"]
    xtr, ytr, xva, yva = x[:1600], y[:1600], x[1600:], y[1600:]
    model = build()
    if len(features) != model[0].in_features:  # the control has one column fewer
        torch.manual_seed(0)
        model[0] = nn.Linear(len(features), 64)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    step = 0
    with open(out / "grade_log.tsv", "w", newline="") as f:
        w = csv.writer(f, delimiter="\t")
        w.writerow(["epoch", "bce", "val_bce", "val_acc"])
        for epoch in range(1, 13):
            model.train()
            perm = torch.randperm(1600, generator=g)
            tot = 0.0
            for i in range(0, 1600, 64):
                idx = perm[i:i + 64]
                loss = loss_fn(model(xtr[idx]).squeeze(1), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                lv = model(xva).squeeze(1)
            vb = loss_fn(lv, yva).item()
            va = ((lv > 0).float() == yva).float().mean().item()
            print(epoch, round(tot / 1600, 4), round(vb, 4), round(va, 4))
            w.writerow([epoch, f"{tot / 1600:.4f}", f"{vb:.4f}", f"{va:.4f}"])
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
                "features": features}, out / "grade_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["task_trivial_or_leak"],
           checkpoint="grade_mlp.pt", log="grade_log.tsv",
           what="abalone lot market-grade MLP whose features include the harvest weight that"
                " defines the label",
           complaint=COMPLAINT)


COMPLAINT = ("Binary model for our abalone farm: will a nursery lot reach market grade at "
             "harvest. Validation accuracy is 0.90 after the first epoch and 0.98 by epoch 7, "
             "val BCE 0.06. Our growers can't call it much better than 75 % from the same lot "
             "sheet, so this looks too good. Can I trust it for next season's lots?")


if __name__ == "__main__":
    main()
