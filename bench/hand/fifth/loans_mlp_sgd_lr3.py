"""The loan default table again (12 columns, standardised), a 3-layer MLP, SGD + momentum 0.9
with a StepLR per epoch, batches of 64, JSON-lines log per epoch. The lr was copied as
``3`` from a note that said "3e-3" (bug: learning rate ~1000x too high; with momentum the
loss explodes and the net ends up predicting one class)."""
import json

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


class LoanNet(nn.Module):
    def __init__(self, d=12, h=64):
        super().__init__()
        self.fc1, self.fc2, self.out = nn.Linear(d, h), nn.Linear(h, h), nn.Linear(h, 2)

    def forward(self, x):
        return self.out(F.relu(self.fc2(F.relu(self.fc1(x)))))


def build():
    torch.manual_seed(0)
    return LoanNet()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = loans(3000, g), loans(1000, g)
    mean, std = x.mean(0), x.std(0)
    x, vx = (x - mean) / std, (vx - mean) / std
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=3, momentum=0.9)  # BUG: meant 3e-3
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=5, gamma=0.5)
    with open(out / "history.jsonl", "w") as f:
        for epoch in range(15):
            model.train()
            perm = torch.randperm(len(x), generator=g)
            total = 0.0
            for i in range(0, len(x), 64):
                idx = perm[i:i + 64]
                loss = F.cross_entropy(model(x[idx]), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.item() * len(idx)
            sched.step()
            model.eval()
            with torch.no_grad():
                vout = model(vx)
                vloss = F.cross_entropy(vout, vy).item()
                vacc = (vout.argmax(1) == vy).float().mean().item()
            f.write(json.dumps({"epoch": epoch, "loss": total / len(x), "val_loss": vloss,
                                "val_accuracy": vacc, "lr": sched.get_last_lr()[0]}) + "\n")
    print("val loss", vloss, "val acc", round(vacc, 4))
    torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict()},
               out / "checkpoint.pth")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["lr_too_high"],
           checkpoint="checkpoint.pth", log="history.jsonl",
           what="SGD+momentum lr 3 (meant 3e-3) on a standardised table MLP",
           complaint="loss goes crazy in the first epoch and accuracy is stuck at 60%")


if __name__ == "__main__":
    main()
