"""Plain torch: an MLP names the fault of a building's air-handling unit from 24 numbers of a
one-hour building-automation trend (supply / return / mixed / outdoor air temperatures, damper
commands and feedbacks, cooling and heating valve positions, fan speed and power, duct static
pressure, filter pressure drop, ...): normal, outdoor-air damper stuck, fouled cooling coil,
slipping supply-fan belt, leaking heating valve. Each fault is a nonlinear relation between a
few of the numbers (a command that no longer moves its feedback, a valve open with no
temperature drop, ...); the rest are nuisance readings. MLP 24-256-256-5, Adam 1e-3, batch
32, 40 epochs; per-epoch CSV log.
The bug: a ``xtr, ytr = xtr[:96], ytr[:96]`` line left in from a quick debugging run, so the
big MLP is trained on 96 trends instead of 2400 with no regularisation: train loss → 0 and
train accuracy 1.0 from epoch 15 while the validation loss climbs: val loss 1.58 → 1.13 (epoch
13) → 1.52 at epoch 40, val accuracy 0.56, train loss 0.0075. Control (the line removed): val
loss 0.40 at epoch 11, 0.59 at epoch 40 (it too drifts up once train loss is ~0), val accuracy
0.85 at epoch 40, train loss 0.001."""
import csv

import torch
import torch.nn as nn


def trends(n, g):
    x = torch.randn(n, 24, generator=g)
    s = torch.stack([0.9 - 0.4 * x[:, 0].abs(),
                     x[:, 1] - 0.5 * x[:, 2],
                     torch.relu(x[:, 3]) - 0.8 * x[:, 4],
                     0.8 * x[:, 5] + 0.3 * x[:, 6] ** 2 - 0.3,
                     torch.tanh(2 * x[:, 7]) + 0.3], 1)
    return x, s.argmax(1)


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(24, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                         nn.Linear(256, 5))


def main():
    from _hundredseventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = trends(2400, g)
    xva, yva = trends(480, g)
    xtr, ytr = xtr[:96], ytr[:96]
    n = len(xtr)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    f = open(out / "ahu_history.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "loss", "acc", "val_loss", "val_acc"])
    for epoch in range(1, 41):
        model.train()
        perm = torch.randperm(n, generator=g)
        tl = ta = 0.0
        for i in range(0, n, 32):
            idx = perm[i:i + 32]
            logits = model(xtr[idx])
            loss = loss_fn(logits, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
            ta += (logits.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
        row = [epoch, round(tl / n, 4), round(ta / n, 4), round(loss_fn(lv, yva).item(), 4),
               round((lv.argmax(1) == yva).float().mean().item(), 4)]
        w.writerow(row)
        if epoch % 10 == 0 or epoch < 6:
            print(row)
    f.close()
    torch.save({"epoch": 40, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "ahu_fault_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="ahu_fault_mlp.pt", log="ahu_history.csv",
           what="AHU fault MLP (24-256-256-5) trained 40 epochs on a 96-sample debug subset",
           complaint=("AHU fault classifier (5 classes) for our building portfolio: training looks perfect, "
                      "train accuracy is 1.0 from epoch 15 and train loss ends at 0.0075, but on the "
                      "validation trends it only gets 0.56 accuracy and the val loss goes back up "
                      "from 1.13 at epoch 13 to 1.52 at epoch 40. Adam 1e-3, batch 32, 40 epochs. "
                      "Should I train longer or use a bigger network?"))


if __name__ == "__main__":
    main()
