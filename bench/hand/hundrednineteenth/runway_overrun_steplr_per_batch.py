"""Plain torch: a runway-overrun risk classifier from flight-data-monitoring approach records.
Each landing is 10 numbers (speed over Vref at 50 ft, glideslope deviation in dots, tailwind kt,
crosswind kt, runway wet/contaminated flags, runway length available over landing distance
required, touchdown-zone flare time, reverser deploy delay, autobrake setting), standardised;
the class (0 normal, 1 long landing, 2 overrun risk) comes from a made-up energy margin with
3 % label noise. MLP 10-64-64-3, SGD 0.05 momentum 0.9, batch 32, 1 600 landings, 12 epochs,
``StepLR(step_size=4, gamma=0.1)`` meant as "÷10 every 4 epochs".
Broken: ``sched.step()`` sits inside the batch loop, so the rate is ÷10 every 4 *batches*: after
the 50 batches of epoch 1 it is 5e-14 and the net stops where it was ~20 steps in: train loss
0.970, then 0.957 in epochs 2-12, val loss 0.974 and val accuracy 0.5675 (the "normal" share)
in every epoch.
Control (``sched.step()`` once per epoch): val accuracy 0.84 after epoch 1, 0.95 at the end,
val loss 0.185, train loss 0.179."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


def landings(n, g):
    x = torch.randn(n, 10, generator=g)
    x[:, 4] = (torch.rand(n, generator=g) < 0.3).float() * 2 - 1   # wet
    x[:, 5] = (torch.rand(n, generator=g) < 0.1).float() * 2 - 1   # contaminated
    margin = (1.2 * x[:, 7] - 0.9 * x[:, 0] - 0.7 * x[:, 2] - 0.5 * x[:, 4] - 0.6 * x[:, 5]
              - 0.6 * x[:, 1].abs() - 0.5 * x[:, 8] + 0.4 * x[:, 9] - 0.3 * x[:, 3] * x[:, 4])
    y = torch.full((n,), 0)
    y[margin < -0.2] = 1
    y[margin < -1.5] = 2
    noise = torch.rand(n, generator=g) < 0.03
    y = torch.where(noise, torch.randint(0, 3, (n,), generator=g), y)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 3))


def main():
    from _hundrednineteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = landings(2000, g)
    xtr, ytr, xva, yva = x[:1600], y[:1600], x[1600:], y[1600:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.1)  # /10 every 4 epochs
    log = open(out / "fdm_train.jsonl", "w")
    for epoch in range(12):
        model.train()
        perm = torch.randperm(1600, generator=g)
        tot = 0.0
        for i in range(0, 1600, 32):
            idx = perm[i:i + 32]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            rec = {"ep": epoch + 1, "loss": round(tot / 1600, 4),
                   "val_loss": round(F.cross_entropy(lo, yva).item(), 4),
                   "val_acc": round((lo.argmax(1) == yva).float().mean().item(), 4),
                   "lr": opt.param_groups[0]["lr"]}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": 12}, out / "overrun_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="overrun_mlp.pt", log="fdm_train.jsonl",
           what="runway-overrun MLP, epoch-sized StepLR stepped every batch: lr ~0 after epoch 1",
           complaint="My runway overrun classifier learns nothing after the first epoch: train loss "
                     "0.970 then 0.957 for the next 11 epochs, val loss 0.974 and val accuracy 0.5675 "
                     "in every single epoch. It looks frozen.")


if __name__ == "__main__":
    main()
