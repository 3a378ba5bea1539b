"""Kaggle-style loan default table: 12 numeric columns (standardised with the training
split's mean/std), a 3-layer MLP, SGD + Nesterov momentum under OneCycleLR, batches of 8.
The per-step loss is very noisy with such small batches, and OneCycle's warm-up makes the
first epoch look worse than the start; both are fine (healthy)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def loans(n, g):
    x = torch.randn(n, 12, generator=g)
    x[:, 0] = 40_000 + 15_000 * x[:, 0]  # income in dollars
    x[:, 1] = 10_000 + 6_000 * x[:, 1].abs()  # loan amount
    x[:, 2] = 600 + 80 * x[:, 2]  # credit score
    ratio = x[:, 1] / x[:, 0].clamp(min=5_000)
    logit = 4 * ratio - 0.02 * (x[:, 2] - 600) + 0.8 * x[:, 3] - 0.6 * x[:, 4] * x[:, 5] - 1.0
    y = (logit + 0.4 * torch.randn(n, generator=g) > 0).long()
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 2))


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = loans(3000, g), loans(1000, g)
    mean, std = x.mean(0), x.std(0)
    x, vx = (x - mean) / std, (vx - mean) / std
    model = build()
    epochs, bs = 6, 8
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.05, epochs=epochs,
                                                steps_per_epoch=len(x) // bs)
    step = 0
    with open(out / "train_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["step", "epoch", "loss", "lr", "val_loss", "val_acc"])
        for epoch in range(epochs):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            for i in range(0, len(x) - bs + 1, bs):
                idx = perm[i:i + bs]
                loss = F.cross_entropy(model(x[idx]), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                step += 1
                if step % 25 == 0:
                    w.writerow([step, epoch, loss.item(), sched.get_last_lr()[0], "", ""])
            model.eval()
            with torch.no_grad():
                vout = model(vx)
                vloss = F.cross_entropy(vout, vy).item()
                vacc = (vout.argmax(1) == vy).float().mean().item()
            w.writerow([step, epoch, loss.item(), sched.get_last_lr()[0], vloss, vacc])
    print("val loss", round(vloss, 4), "val acc", round(vacc, 4))
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(),
                "scheduler_state_dict": sched.state_dict()}, out / "loan_mlp.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=[], checkpoint="loan_mlp.pt",
           log="train_log.csv",
           what="loan MLP, batch 8, SGD+Nesterov under OneCycle: noisy but healthy")


if __name__ == "__main__":
    main()
