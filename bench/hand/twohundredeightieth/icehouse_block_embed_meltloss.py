"""Plain torch: an embedding model says, on the day a load of blocks is cut, whether that load
will still be sellable at the August inventory of the icehouse (binary: 1 = kept, under 35 %
shrink). Ice harvesting records from 16 ponds and lakes, one row per load of blocks: clear
(black) ice thickness (cm), white (snow) ice on top (cm), air temperature at cutting (C), days
since the last thaw, block length (cm), hauling time to the icehouse (h), sawdust packed
around the stack (cm) and the fill order (0 = first into the house, 1 = last, near the door).
The August shrink follows a rule: a thick clear block in deep sawdust, cut cold, shrinks
little; white ice, thin blocks, long hauls and loads near the door shrink more; every pond has
its own water (an offset: spring-fed or shallow ponds make softer ice), plus weather noise.
Features standardised with the training rows' mean and sd; pond id through
``nn.Embedding(16, 4)``; MLP (9 features + the 4-wide embedding) 13→64-ReLU-64→32-ReLU-32→1, BCE with
logits, Adam 1e-3 with ReduceLROnPlateau on val loss, batch 64, 16 epochs, 2400 loads,
validation on 600.
The bug: the feature list copied from the season sheet keeps the August inventory column,
``"aug_shrink_pct",  # from the inventory sheet`` — the label is that very column cut at 35 %.
Result: val accuracy 0.847 after the first epoch, 0.978 at epoch 6, 0.985-0.990 from epoch 7,
val BCE 0.549 → 0.045, train BCE 0.644 → 0.024 (one number carries the answer; 47 % of the
loads are kept).
Control (the column dropped from ``FEATURES``): val accuracy 0.680 → 0.778 (best 0.787), val
BCE 0.631 → 0.457, train BCE 0.663 → 0.440.
Log: CSV per epoch ``keep_train.csv`` (``epoch`` / ``bce`` / ``val_bce`` / ``val_acc`` /
``lr``); checkpoint ``keep_model.ckpt`` with keys ``params`` / ``optim`` / ``features`` /
``mu`` / ``sd`` / ``epoch``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

PONDS = 16
FEATURES = [
    "clear_cm", "white_cm", "air_c", "days_since_thaw", "block_cm", "haul_h", "sawdust_cm",
    "fill_order",
    "aug_shrink_pct",  # from the inventory sheet
]


def season_sheet(n, g):
    pond_soft = torch.randn(PONDS, generator=torch.Generator().manual_seed(7)) * 8
    u = torch.rand(n, 8, generator=g)
    col = {"clear_cm": 15 + 30 * u[:, 0], "white_cm": 12 * u[:, 1] ** 2,
           "air_c": -25 + 25 * u[:, 2], "days_since_thaw": 40 * u[:, 3],
           "block_cm": 40 + 50 * u[:, 4], "haul_h": 0.2 + 4 * u[:, 5],
           "sawdust_cm": 10 + 40 * u[:, 6], "fill_order": u[:, 7]}
    pond = torch.randint(0, PONDS, (n,), generator=g)
    shrink = (47 - 0.8 * col["clear_cm"] + 1.5 * col["white_cm"] + 0.4 * (col["air_c"] + 12)
              - 0.15 * col["days_since_thaw"] - 0.12 * (col["block_cm"] - 65) + 2.5 * col["haul_h"]
              - 0.45 * (col["sawdust_cm"] - 30) + 10 * col["fill_order"] + pond_soft[pond]
              + 11 * torch.randn(n, generator=g))
    col["aug_shrink_pct"] = shrink.clamp(2, 100)
    kept = (col["aug_shrink_pct"] < 35).float()
    return col, pond, kept


class KeepModel(nn.Module):
    def __init__(self, n_feat):
        super().__init__()
        self.pond = nn.Embedding(PONDS, 4)
        self.mlp = nn.Sequential(nn.Linear(n_feat + 4, 64), nn.ReLU(), nn.Linear(64, 32),
                                 nn.ReLU(), nn.Linear(32, 1))

    def forward(self, x, pond):
        return self.mlp(torch.cat([x, self.pond(pond)], 1)).squeeze(1)


def build():
    torch.manual_seed(0)
    return KeepModel(len(FEATURES))


def main():
    from _twohundredeightieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ctr, ptr, ytr = season_sheet(2400, g)
    cva, pva, yva = season_sheet(600, g)
    xtr = torch.stack([ctr[k] for k in FEATURES], 1)
    xva = torch.stack([cva[k] for k in FEATURES], 1)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("kept share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ptr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2)
    with open(out / "keep_train.csv", "w") as f:
        f.write("epoch,bce,val_bce,val_acc,lr\n")
        for epoch in range(1, 17):
            model.train()
            tot, n = 0.0, 0
            for xb, pb, yb in loader:
                loss = F.binary_cross_entropy_with_logits(model(xb, pb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
                n += len(yb)
            model.eval()
            with torch.no_grad():
                lv = model(xva, pva)
                v = F.binary_cross_entropy_with_logits(lv, yva).item()
                acc = ((lv > 0).float() == yva).float().mean().item()
            sched.step(v)
            row = f"{epoch},{tot / n:.5f},{v:.5f},{acc:.4f},{opt.param_groups[0]['lr']:.6f}"
            print(row)
            f.write(row + "\n")
    torch.save({"params": model.state_dict(), "optim": opt.state_dict(), "features": FEATURES,
                "mu": mu, "sd": sd, "epoch": 16}, out / "keep_model.ckpt")
    finish(out, __file__, {"inputs": xva[:64], "pond": pva[:64], "targets": yva[:64]},
           causes=["task_trivial_or_leak"],
           checkpoint="keep_model.ckpt", log="keep_train.csv",
           what="pond-embedding MLP predicting whether a load of harvested ice blocks survives"
                " to the August inventory; the August shrink column is among the inputs",
           complaint=("We log every load of blocks we cut off the ponds and I trained a small "
                      "net to tell at cutting time which loads will still be good in August. "
                      "It hits 98-99 % on the held-out loads after a few epochs, which nobody on "
                      "the crew believes: the old hands can't call it better than maybe four "
                      "times in five. Is this number real, and can I trust it for next winter's "
                      "harvest?"))


if __name__ == "__main__":
    main()
