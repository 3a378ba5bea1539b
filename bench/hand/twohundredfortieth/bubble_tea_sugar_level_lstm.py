"""Plain torch: an LSTM reads a bubble tea shop's dispensing-machine log for one cup (24 pump
events, each: syrup ml, fructose ml, tea ml, milk ml, ice g) and calls the sugar level printed
on the cup (0 %, 30 %, 50 %, 70 %, 100 % → 5 classes); the level sets how much syrup and
fructose the pumps add. LSTM(5 → 48) + linear, Adam 2e-3, batch 64, 10 epochs of 2048 cups.
Checkpoint ``{"net", "opt", "epoch", "step"}``, JSON lines per epoch (epoch, loss, val_loss,
val_acc).

Bug: the cups are shuffled before the train/val split, and the labels are shuffled with a
second ``torch.randperm`` call instead of the same permutation, so every cup gets a random
cup's sugar level: train loss 1.611 → 1.605 in 10 epochs (ln 5 = 1.609), val loss 1.61–1.62,
val acc 0.17–0.21 (chance 0.2). Control (``y = y[perm]``): train loss 1.545 → 0.867 (epoch 4) →
0.534, val loss 1.234 → 0.573, val acc 0.42 → 0.69 (epoch 5) → 0.77 at epoch 10."""
import json
import sys

import torch
import torch.nn as nn

LEVELS = torch.tensor([0.0, 0.3, 0.5, 0.7, 1.0])


def cups(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    x = torch.rand(n, 24, 5, generator=g)
    on = (torch.rand(n, 24, generator=g) < 0.35).float()
    x[:, :, 0] = on * LEVELS[y].unsqueeze(1) * (1.0 + 0.1 * torch.randn(n, 24, generator=g))
    x[:, :, 1] = 0.5 * x[:, :, 0] + 0.05 * torch.randn(n, 24, generator=g)
    return x, y


class SugarLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(5, 48, batch_first=True)
        self.head = nn.Linear(48, 5)

    def forward(self, x):
        return self.head(self.lstm(x)[1][0][-1])


def build():
    torch.manual_seed(0)
    return SugarLSTM()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfortieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = cups(2560, g)
    perm = torch.randperm(2560, generator=g)
    x = x[perm]
    y = y[torch.randperm(2560, generator=g)]
    xtr, ytr, xva, yva = x[:2048], y[:2048], x[2048:], y[2048:]
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    log, step = [], 0
    for epoch in range(10):
        order = torch.randperm(2048, generator=g)
        tot = 0.0
        for i in range(0, 2048, 64):
            idx = order[i:i + 64]
            loss = nn.functional.cross_entropy(net(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            tot += loss.item() / 32
        with torch.no_grad():
            lv = net(xva)
            vl = nn.functional.cross_entropy(lv, yva).item()
            va = (lv.argmax(1) == yva).float().mean().item()
        log.append({"epoch": epoch + 1, "loss": round(tot, 4), "val_loss": round(vl, 4),
                    "val_acc": round(va, 4)})
        print(log[-1])
    (out / "sugar_log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in log))
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "epoch": 10, "step": step},
               out / "sugar_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["labels_wrong"],
           checkpoint="sugar_lstm.pt", log="sugar_log.jsonl",
           what="LSTM calling a bubble tea cup's sugar level from the dispenser's pump log",
           complaint="Sugar-level model for our bubble tea dispenser logs: loss sits at 1.61 for "
                     "10 epochs and val accuracy is ~20%, which is guessing among 5 levels. "
                     "The syrup pump volume alone should give it away. LSTM too small?")


if __name__ == "__main__":
    main()
