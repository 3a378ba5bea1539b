"""Bearing fault diagnosis from vibration snippets (256 samples: healthy, inner-race,
outer-race, ball fault as impulse trains at different rates on shaft harmonics), a 1-D CNN
with BatchNorm after every conv, SGD + momentum 0.9 at 0.05 with a MultiStepLR. The
notebook prints a "before training" baseline with ``evaluate()``, which calls
``model.eval()``, and the epoch loop never calls ``model.train()`` (bug: the whole run trains
in eval mode; BatchNorm uses its initial running statistics (0, 1), never updated, so
nothing is normalised: val acc 0.42 where the same script with ``model.train()`` in the
loop gets 0.99)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

N = 256


def snippets(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(N).float()
    rate = torch.tensor([0.0, 1 / 9, 1 / 14, 1 / 23])[y][:, None]
    phase = torch.rand(n, 1, generator=g)
    impulses = (torch.frac(t * rate + phase) < rate).float() * (y[:, None] > 0).float()
    ring = torch.exp(-torch.arange(12).float() / 3) * torch.sin(torch.arange(12) * 1.3)
    faults = F.conv1d(impulses[:, None], ring.flip(0)[None, None], padding=11)[:, 0, :N]
    shaft = torch.sin(2 * math.pi * t / 32 + 6 * phase)
    x = 2 * faults + shaft + 0.7 * torch.randn(n, N, generator=g)
    return x.unsqueeze(1), y


def conv_bn(cin, cout, k):
    return nn.Sequential(nn.Conv1d(cin, cout, k, padding=k // 2), nn.BatchNorm1d(cout),
                         nn.ReLU(), nn.MaxPool1d(2))


def build():
    torch.manual_seed(0)
    return nn.Sequential(conv_bn(1, 16, 9), conv_bn(16, 32, 7), conv_bn(32, 64, 5),
                         conv_bn(64, 64, 3), nn.AdaptiveAvgPool1d(1), nn.Flatten(),
                         nn.Linear(64, 4))


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        out = model(x)
    return F.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = snippets(2400, g), snippets(600, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[8, 12], gamma=0.1)
    print("before training:", evaluate(model, vx, vy))  # BUG: leaves the model in eval mode
    with open(out / "bearing_log.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        for epoch in range(14):
            perm = torch.randperm(len(x), generator=g)
            tot, correct = 0.0, 0
            for i in range(0, len(x), 64):
                idx = perm[i:i + 64]
                logits = model(x[idx])
                loss = F.cross_entropy(logits, y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                correct += (logits.argmax(1) == y[idx]).sum().item()
            sched.step()
            vloss, vacc = evaluate(model, vx, vy)
            w.writerow([epoch, tot / len(x), correct / len(x), vloss, vacc])
    print("train", tot / len(x), "val loss", round(vloss, 4), "val acc", round(vacc, 4))
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "bearing_cnn.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["train_in_eval_mode"],
           checkpoint="bearing_cnn.pt", log="bearing_log.csv",
           what="evaluate() before training sets eval mode; the loop never calls train()",
           complaint="train loss hovers around 1.38 for 10 epochs, val acc jumps 0.24-0.56")


if __name__ == "__main__":
    main()
