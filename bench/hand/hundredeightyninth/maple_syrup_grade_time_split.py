"""Plain torch: an MLP gives the colour grade of a batch of maple syrup (golden, amber, dark,
very dark) from 8 readings taken at the sugar house when the batch is drawn off: sap sugar
content (°Brix), sap temperature, days since tapping, evaporator time, finished density,
pH, a 560 nm light transmittance and the outside temperature. The records of several seasons
are pooled in one export sorted by day of season; sap gets weaker, warmer and more
microbe-laden as a season goes on: the grade follows transmittance, pH and Brix, and warm sap
late in the season (after day 40) gives an off-flavour syrup, graded very dark whatever its
colour.
MLP 8-64-64-4, Adam 2e-3, weight decay 1e-4, batch 32, 25 epochs; TSV log, one row per epoch
(``epoch  step  loss  val_loss  val_acc``).
The bug: the train/validation split takes the first 80 % of the rows, ``idx =
torch.arange(len(x))``, of a file ordered by day of season ("we split by row, it is all the
same kind of record"). Training sees the early season, mostly golden and amber; validation is
the last days of the season (day 40–50, outside the training range), 87 % graded very dark,
most of it off-flavour. Train loss 0.81 → 0.09, val loss 2.79 → 11.76 rising, val accuracy
0.05 → 0.35 (0.41 best). Control (``idx = torch.randperm(len(x), generator=g)``): train loss
0.14, val loss 0.22 (0.18 best), val accuracy 0.91 (0.94 best)."""
import torch
import torch.nn as nn


def seasons(n, g):
    day = torch.sort(torch.rand(n, generator=g) * 50).values  # the export is in date order
    brix = 3.0 - 0.03 * day + 0.3 * torch.randn(n, generator=g)
    sap_t = 2.0 + 0.15 * day + 1.5 * torch.randn(n, generator=g)
    evap = 4.0 + 0.02 * day + 0.5 * torch.randn(n, generator=g)
    dens = 66.5 + 0.5 * torch.randn(n, generator=g)
    ph = 7.0 - 0.02 * day + 0.15 * torch.randn(n, generator=g)
    trans = 70 - 0.2 * day + 12 * torch.randn(n, generator=g)
    air = -2 + 0.2 * day + 3 * torch.randn(n, generator=g)
    x = torch.stack([brix, sap_t, day, evap, dens, ph, trans, air], 1)
    dark = -0.05 * trans - 1.0 * (ph - 6.5) - 0.5 * (brix - 2.2) + 0.1 * torch.randn(n, generator=g)
    y = torch.bucketize(dark, torch.tensor([-3.1, -2.55, -2.0]))
    buddy = (day > 40) & (sap_t > 7.5)  # warm late-season sap: off-flavour, graded very dark
    y = torch.where(buddy, 3, y)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def main():
    from _hundredeightyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = seasons(2000, g)
    idx = torch.arange(len(x))
    tr, va = idx[:1600], idx[1600:]
    mu, sd = x[tr].mean(0), x[tr].std(0)
    x = (x - mu) / sd
    xtr, ytr, xva, yva = x[tr], y[tr], x[va], y[va]
    print("train grades", torch.bincount(ytr, minlength=4).tolist(),
          "val grades", torch.bincount(yva, minlength=4).tolist())
    torch.manual_seed(1)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-4)
    loss_fn = nn.CrossEntropyLoss()
    rows = ["epoch\tstep\tloss\tval_loss\tval_acc"]
    step = 0
    for epoch in range(25):
        model.train()
        tot = 0.0
        for xb, yb in train:
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            tot += loss.item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        vl = loss_fn(lv, yva).item()
        acc = (lv.argmax(1) == yva).float().mean().item()
        print(epoch, tot / len(train), vl, acc)
        rows.append(f"{epoch}\t{step}\t{tot / len(train):.4f}\t{vl:.4f}\t{acc:.4f}")
    (out / "syrup_grade.tsv").write_text("\n".join(rows) + "\n")
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
                "epoch": 25}, out / "syrup_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["distribution_shift"],
           checkpoint="syrup_mlp.pt", log="syrup_grade.tsv",
           what="maple syrup colour grade MLP, train/val split by row of a date-ordered file",
           complaint=("我们糖屋的枫糖浆分级模型（金色/琥珀/深色/极深）：训练损失降到 0.09，"
                      "可验证损失从 2.8 一路涨到 11.8，验证准确率只有 0.05–0.41。"
                      "8 个读数都做了标准化，Adam 2e-3，batch 32，25 个 epoch。"
                      "是过拟合了吗？要不要加 dropout？"))


if __name__ == "__main__":
    main()
