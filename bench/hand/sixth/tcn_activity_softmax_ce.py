"""Accelerometer windows (3 axes x 100 samples) -> 5 activities (sit, walk, run, stairs, cycle)
with a small TCN (dilated causal Conv1d + residual), SGD + momentum 0.9, lr 0.05, batches of
64. The tutorial's model ends in ``nn.Softmax(dim=1)`` "to get probabilities" and the loop
still uses ``nn.CrossEntropyLoss`` (bug: softmax before a loss that expects logits; accuracy
reaches 1.0 but the loss freezes at 0.9049 = -log(e / (e + 4)) and the gradients vanish, so
the model cannot become confident: the classic symptom)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def activity(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    t = torch.arange(100).float() / 50
    freq = torch.tensor([0.0, 1.8, 2.8, 1.4, 1.1])[y][:, None, None]
    amp = torch.tensor([0.05, 0.6, 1.2, 0.8, 0.5])[y][:, None, None]
    phase = 6.28 * torch.rand(n, 3, 1, generator=g)
    x = amp * torch.sin(2 * math.pi * freq * t + phase)
    x[:, 2] += torch.tensor([1.0, 0.9, 0.8, 0.7, 0.3])[y][:, None]  # gravity on z by posture
    return x + 0.2 * torch.randn(n, 3, 100, generator=g), y


class Residual(nn.Module):
    def __init__(self, ch, d):
        super().__init__()
        self.d = d
        self.conv = nn.Conv1d(ch, ch, 3, dilation=d)

    def forward(self, x):
        return F.relu(x + self.conv(F.pad(x, (2 * self.d, 0))))


def build():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv1d(3, 32, 1), *[Residual(32, d) for d in (1, 2, 4, 8)],
        nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 5),
        nn.Softmax(dim=1))  # BUG: CrossEntropyLoss applies log-softmax itself


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = activity(2000, g), activity(500, g)
    model = build()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    rows = []
    for epoch in range(10):
        model.train()
        perm, tot = torch.randperm(len(x), generator=g), 0.0
        for i in range(0, len(x), 64):
            idx = perm[i:i + 64]
            loss = criterion(model(x[idx]), y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            probs = model(vx)
        rows.append([epoch, tot / len(x), criterion(probs, vy).item(),
                     (probs.argmax(1) == vy).float().mean().item()])
        print(rows[-1])
    with open(out / "history.csv", "w", newline="") as f:
        csv.writer(f).writerows([["epoch", "loss", "val_loss", "val_accuracy"], *rows])
    torch.save({"epoch": epoch, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": optimizer.state_dict()}, out / "tcn_har.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["activation_before_softmax"],
           checkpoint="tcn_har.pt", log="history.csv",
           what="nn.Softmax(dim=1) as the last layer before nn.CrossEntropyLoss (TCN)",
           complaint="val acc is 100% but the loss is stuck at 0.9049 and will not go lower, why?")


if __name__ == "__main__":
    main()
