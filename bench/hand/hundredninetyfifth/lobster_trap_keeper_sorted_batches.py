"""Plain torch: a binary classifier decides whether a lobster from a trap haul is a keeper or has
to go back (undersize, oversize, egg-bearing or v-notched), from 10 numbers the deck crew's
measuring board and tablet log: carapace length, carapace width, claw length, weight, sex,
egg score, notch score, trap depth, soak days and water temperature. "Back" follows the legal
gauge (carapace between 83 and 127 mm), eggs or a notch, all read through noisy measurements.
The season's tablet export is two files, keepers then returns, concatenated (1 200 + 1 040
rows). MLP 10-48-48-1 with BatchNorm after the first layer, Adam 1e-3, batch 40, 12 epochs,
``BCEWithLogitsLoss``; a JSON line per 8 steps (``step``, ``epoch``, ``bce``) and one per epoch
with ``val_bce`` and ``val_acc`` (320 mixed hauls).
The bug: the loader is built with ``shuffle=False`` over the concatenated export, so every
batch holds a single class (the first 30 all keepers, the next 26 all returns; only one batch
straddles the boundary) and each epoch ends on a run of returns. Result: val accuracy 0.50,
0.57, 0.85, 0.55, then 0.50 at every epoch from 5 to 12 (the model calls every lobster
"back"); val BCE 0.74 → 0.59 (epoch 4) → 2.27, while the per-step train BCE falls near 0
inside each half.
Control (``shuffle=True``): val accuracy 0.89 after epoch 1, 0.94–0.97 from epoch 2 on (0.96
at epoch 12), val BCE 0.47 → 0.13."""
import json

import torch
import torch.nn as nn


def haul(n, g, keeper):
    """n lobsters of one class (keeper=True/False), features standardised."""
    rows = []
    while len(rows) < n:
        cl = 70 + 70 * float(torch.rand(1, generator=g))
        sex = float(torch.rand(1, generator=g) < 0.5)
        eggs = float(torch.rand(1, generator=g) < 0.18 * sex)
        notch = float(torch.rand(1, generator=g) < 0.08)
        legal = 83 <= cl <= 127 and not eggs and not notch
        if legal != keeper:
            continue
        cw = 0.55 * cl + 2 * float(torch.randn(1, generator=g))
        claw = 0.9 * cl * (1.2 - 0.3 * sex) + 4 * float(torch.randn(1, generator=g))
        wt = 0.0011 * cl ** 3 * (1 + 0.08 * float(torch.randn(1, generator=g)))
        rows.append([cl + float(torch.randn(1, generator=g)), cw, claw, wt, sex,
                     eggs * (0.7 + 0.3 * float(torch.rand(1, generator=g))),
                     notch * (0.6 + 0.4 * float(torch.rand(1, generator=g))),
                     20 + 40 * float(torch.rand(1, generator=g)),
                     1 + 4 * float(torch.rand(1, generator=g)),
                     8 + 8 * float(torch.rand(1, generator=g))])
    x = torch.tensor(rows)
    mean = torch.tensor([105, 58, 95, 1400, 0.5, 0.07, 0.06, 40, 3, 12.0])
    std = torch.tensor([20, 11, 22, 900, 0.5, 0.25, 0.22, 12, 1.2, 2.3])
    return (x - mean) / std, torch.full((n,), float(keeper))


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 48), nn.BatchNorm1d(48), nn.ReLU(),
                         nn.Linear(48, 48), nn.ReLU(), nn.Linear(48, 1))


def main():
    from _hundredninetyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xk, yk = haul(1200, g, True)
    xr, yr = haul(1040, g, False)
    xtr, ytr = torch.cat([xk, xr]), torch.cat([yk, yr])  # keepers.csv + returns.csv
    vk, vky = haul(160, g, True)
    vr, vry = haul(160, g, False)
    mix = torch.randperm(320, generator=g)
    xva, yva = torch.cat([vk, vr])[mix], torch.cat([vky, vry])[mix]
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=40, shuffle=False)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.BCEWithLogitsLoss()
    step = 0
    with open(out / "keeper_log.jsonl", "w") as f:
        for epoch in range(12):
            model.train()
            for xb, yb in loader:
                loss = loss_fn(model(xb).squeeze(1), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 8 == 0:
                    f.write(json.dumps({"step": step, "epoch": epoch, "bce": round(loss.item(), 4)})
                            + "\n")
            model.eval()
            with torch.no_grad():
                lv = model(xva).squeeze(1)
                vb = loss_fn(lv, yva).item()
                va = ((lv > 0).float() == yva).float().mean().item()
            rec = {"step": step, "epoch": epoch, "val_bce": round(vb, 4), "val_acc": round(va, 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 12,
                "step": step}, out / "keeper_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["batch_single_class"],
           checkpoint="keeper_mlp.pt", log="keeper_log.jsonl",
           what="lobster keeper/return MLP (BN), keepers-then-returns export read unshuffled",
           complaint=("Keeper/return classifier for our lobster trap hauls (10 measurements per "
                      "animal, 2240 lobsters from this season). The training loss goes almost to "
                      "zero but on 320 held-out lobsters accuracy sits at 0.50 - it is a "
                      "coin flip, and it says 'throw back' for almost everything. The rules are "
                      "simple (gauge size, eggs, notch), a deckhand gets them right. What is "
                      "wrong with the model?"))


if __name__ == "__main__":
    main()
