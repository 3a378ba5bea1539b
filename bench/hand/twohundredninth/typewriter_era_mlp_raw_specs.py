"""Plain torch: an MLP dates a second-hand typewriter (4 eras: 1910s, 1930s, 1950s, 1970s) from
8 numbers a collector types in from the listing: serial number, weight (g), carriage width
(mm), platen diameter (mm), number of keys, typebar count, pitch (characters per inch) and
ribbon width (mm). Later machines are lighter, have higher serials within a maker's range,
more keys, narrower ribbons; makers differ (the serial ranges overlap across makers).
MLP 8-64-64-4, Adam 1e-3, batch 64, 30 epochs of 1280 listings; standardisation statistics
are computed from the training set.
The bug: the standardised copy is built (``xtr_n = (xtr - mu) / sd``) but the training loop and
validation keep using the raw ``xtr`` / ``xva``, so serial numbers in the millions and weights
in the thousands feed the first layer next to pitch 10–12: val accuracy jumps between 0.23
and 0.65 from epoch to epoch (0.64 at epoch 30), the last-batch train loss between 140 and
2,900, val loss 1,026 at epoch 1 and 633 at epoch 30. Control (the loop uses
``xtr_n`` / ``xva_n``): val accuracy 0.86 at epoch 5, 0.91 at epoch 30, val
loss 0.22."""
import csv

import torch
import torch.nn as nn


def listings(n, g):
    era = torch.randint(0, 4, (n,), generator=g)
    maker = torch.randint(0, 3, (n,), generator=g)
    e = era.float() + 0.25 * torch.randn(n, generator=g)
    serial = (torch.tensor([1e5, 4e5, 9e5])[maker] + 6e5 * e
              + 8e4 * torch.randn(n, generator=g)).clamp(min=1000)
    weight = 14000 - 2600 * e + 900 * torch.randn(n, generator=g)
    carriage = 300 - 15 * e + 20 * torch.randn(n, generator=g)
    platen = 40 - 2 * e + 1.5 * torch.randn(n, generator=g)
    keys = (40 + 1.5 * e + torch.randn(n, generator=g)).round()
    bars = keys + torch.randint(0, 3, (n,), generator=g)
    pitch = torch.where(torch.rand(n, generator=g) < 0.5, 10.0, 12.0)
    ribbon = 16 - 1.6 * e + 0.6 * torch.randn(n, generator=g)
    x = torch.stack([serial, weight, carriage, platen, keys, bars, pitch, ribbon], 1)
    return x, era


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 4))


def main():
    from _twohundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = listings(1280, g)
    xva, yva = listings(320, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr_n, xva_n = (xtr - mu) / sd, (xva - mu) / sd
    print("standardised:", xtr_n.mean().item(), xtr_n.std().item(), xva_n.abs().max().item())
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.CrossEntropyLoss()
    rows, step = [], 0
    for epoch in range(30):
        model.train()
        perm = torch.randperm(1280, generator=g)
        for i in range(0, 1280, 64):
            idx = perm[i:i + 64]
            loss = crit(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl, va = crit(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
        rows.append({"global_step": step, "epoch": epoch + 1, "loss": f"{loss.item():.5g}",
                     "val_loss": f"{vl:.5g}", "val_accuracy": f"{va:.4f}"})
        print(rows[-1])
    with open(out / "metrics.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "global_step": step, "epoch": 30, "mu": mu, "sd": sd},
               out / "typewriter_era.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_not_normalized"],
           checkpoint="typewriter_era.pt", log="metrics.csv",
           complaint="我用打字机的八个参数（序列号、重量、滑架宽度等）来判断生产年代，四个类别。"
                     "训练了30个epoch，验证准确率在0.23到0.65之间来回跳，训练loss忽大忽小，几百到几千都有。"
                     "数据我检查过，年代和这些参数的关系很明显。到底哪里出了问题？",
           what="MLP typewriter era classifier from 8 listing specs")


if __name__ == "__main__":
    main()
