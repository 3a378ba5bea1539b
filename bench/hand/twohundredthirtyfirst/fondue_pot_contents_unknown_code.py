"""Plain torch: an MLP tells what is in a restaurant's table-top fondue pot from the pot's
built-in sensor over the first 10 minutes after it is lit (20 temperature readings, 30 s apart,
plus the burner setting and the fill level), so the burner can be set for it: 0 cheese
(slow rise, held near 65 °C, the sensor drifts from stirring), 1 chocolate (held low near
45 °C), 2 oil (fast rise towards 180 °C), 3 broth (rises to a boil at ~95 °C and plateaus).
The kitchen log writes the pot as a code 1–4 and 0 where the server did not enter it (about a
third of the rows); the script turns code into a class index with ``code - 1`` and means to
drop the unentered rows first.
MLP 22-96-48-4 (ReLU), cross-entropy from log-softmax against one-hot targets
(``torch.eye(4)[y]``), Adam 2e-3, batch 64, 12 epochs; validation on the same kind of log.
Log: CSV every 6 steps (``step``, ``epoch``, ``loss``) plus a validation row per epoch
(``val_loss``, ``val_acc``); checkpoint ``model_state_dict`` / ``optimizer_state_dict`` /
``epoch`` / ``step``.
The bug: the filter is ``keep = code >= 0``, which keeps everything; the unentered rows become
``y = -1`` and ``torch.eye(4)[-1]`` is the broth row, so a third of the pots, of every kind, are
trained (and validated) as broth. Val accuracy 0.53, 0.57, 0.66, 0.67, 0.65 ... 0.67 at epoch 12 (a -1 label never equals an
argmax), val loss 0.71 → 0.49, train loss 0.42–0.70 at the end. Control (``keep = code > 0``,
1600 rows): val accuracy 0.75, 0.99, 0.996 from epoch 3, val loss 0.62 → 0.02."""
import csv

import torch
import torch.nn as nn


def log_rows(n, g):
    t = torch.arange(20).float() * 0.5
    kind = torch.randint(0, 4, (n,), generator=g)
    target = torch.tensor([65.0, 45.0, 180.0, 95.0])[kind] + 4 * torch.randn(n, generator=g)
    rate = torch.tensor([0.35, 0.5, 0.45, 0.3])[kind] * (0.8 + 0.4 * torch.rand(n, generator=g))
    start = 18 + 6 * torch.rand(n, generator=g)
    temp = target[:, None] - (target - start)[:, None] * torch.exp(-rate[:, None] * t[None])
    stir = (kind == 0).float()[:, None] * 3 * torch.sin(t[None] * 2 + torch.rand(n, 1, generator=g) * 6)
    temp = temp + stir + 1.5 * torch.randn(n, 20, generator=g)
    burner = torch.tensor([2.0, 1.0, 4.0, 3.0])[kind] + torch.randint(-1, 2, (n,), generator=g)
    fill = 0.4 + 0.5 * torch.rand(n, generator=g)
    x = torch.cat([(temp - 70) / 40, burner[:, None] / 4, fill[:, None]], 1)
    code = torch.where(torch.rand(n, generator=g) < 0.33, 0, kind + 1)
    return x, code


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(22, 96), nn.ReLU(), nn.Linear(96, 48), nn.ReLU(),
                         nn.Linear(48, 4))


def xent(logits, y):
    return -(torch.eye(4)[y] * logits.log_softmax(1)).sum(1).mean()


def main():
    from _twohundredthirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, code = log_rows(2400, g)
    keep = code >= 0
    x, y = x[keep], code[keep] - 1
    xtr, ytr, xva, yva = x[:-256], y[:-256], x[-256:], y[-256:]
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    f = open(out / "fondue_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "epoch", "loss", "val_loss", "val_acc"])
    step = 0
    for epoch in range(12):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = xent(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 6 == 0:
                w.writerow([step, epoch, round(loss.item(), 4), "", ""])
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl = round(xent(lv, yva).item(), 4)
            va = round((lv.argmax(1) == yva).float().mean().item(), 4)
        w.writerow([step, epoch, "", vl, va])
        print(epoch, vl, va, round(loss.item(), 4))
    f.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 12, "step": step}, out / "fondue_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
           checkpoint="fondue_mlp.pt", log="fondue_log.csv",
           what="fondue-pot contents MLP: 'not entered' code 0 survives the filter (>= 0), becomes"
                " label -1 = broth via torch.eye",
           complaint=("Our fondue pot sensor model won't get past ~65 % validation accuracy. 4 pot types "
                      "(cheese, chocolate, oil, broth) from the first 10 minutes of temperature "
                      "readings, and the curves look completely different by eye: oil goes to 180, "
                      "chocolate stays at 45. Train loss bounces between 0.4 and 0.7 for 12 epochs, "
                      "val loss flat around 0.49-0.52, val acc 0.64-0.67. Do I need a bigger model?"))


if __name__ == "__main__":
    main()
