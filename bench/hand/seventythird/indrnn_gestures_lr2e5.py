"""An IndRNN (Li et al. 2018: h_t = relu(W x_t + u ⊙ h_{t−1} + b), every unit recurrent only on
itself, u initialised in [0, 1), 2 layers of 64, each followed by batch norm over features, the
last step's state into a linear head) recognises 6 wrist gestures (swipe left / right, circle,
shake, tap twice, raise) from 3-axis accelerometer windows of 60 samples at 30 Hz: a template
per gesture, random speed (±20 %), amplitude, onset within the window, a gravity offset and
sensor noise. 1280 training and 384 validation windows, standardised per axis with the training
statistics. Adam, batch 64, 10 epochs, gradient clipping 5; a JSON line per epoch
(``ep``, ``loss``, ``val_loss``, ``val_acc``, ``lr``); checkpoint dict ``indrnn`` / ``opt`` /
``config`` (+ ``ep``).
Bug: ``lr=2e-5`` — the value came with the config the author copied from a fine-tuning recipe
for a pretrained sensor transformer, here used to train a recurrent net from scratch. In 200
steps each weight can move at most ~0.004: the training loss creeps from 1.98 to 1.84 (ln 6 =
1.79) and the validation accuracy ends at 0.22 (the control at 2e-3: 0.98)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

T, CLASSES = 60, 6
CONFIG = {"hidden": 64, "layers": 2, "lr": 2e-5, "batch_size": 64, "epochs": 10, "clip": 5.0}


def gestures(n, g):
    t = torch.linspace(0, 1, 40)
    templates = torch.stack([
        torch.stack([torch.sin(3.14 * t) * 2, 0 * t, 0 * t]),
        torch.stack([-torch.sin(3.14 * t) * 2, 0 * t, 0 * t]),
        torch.stack([torch.cos(6.28 * t), torch.sin(6.28 * t), 0 * t]) * 1.5,
        torch.stack([torch.sin(25 * t), 0 * t, torch.sin(25 * t) * 0.5]) * 1.2,
        torch.stack([0 * t, 0 * t, torch.exp(-((t - 0.3) / 0.05) ** 2)
                     + torch.exp(-((t - 0.6) / 0.05) ** 2)]) * 3,
        torch.stack([0 * t, torch.sin(3.14 * t) * 1.5, torch.sin(3.14 * t)]),
    ])  # (6, 3, 40)
    y = torch.randint(0, CLASSES, (n,), generator=g)
    x = torch.zeros(n, 3, T)
    for i in range(n):
        length = int(40 * (0.8 + 0.4 * float(torch.rand(1, generator=g))))
        seg = F.interpolate(templates[y[i]][None], size=length, mode="linear")[0]
        start = int(torch.randint(0, T - length + 1, (1,), generator=g))
        amp = 0.7 + 0.6 * float(torch.rand(1, generator=g))
        x[i, :, start:start + length] = seg * amp
    x = x + torch.tensor([0.0, 0.0, 1.0])[None, :, None]  # gravity on z
    x = x + 0.3 * torch.randn(n, 3, 1, generator=g) + 0.25 * torch.randn(n, 3, T, generator=g)
    return x.transpose(1, 2), y  # (n, T, 3)


class IndRNNLayer(nn.Module):
    def __init__(self, cin, hidden):
        super().__init__()
        self.inp = nn.Linear(cin, hidden)
        self.u = nn.Parameter(torch.rand(hidden))

    def forward(self, x):  # (B, T, C)
        wx = self.inp(x)
        h = torch.zeros_like(wx[:, 0])
        out = []
        for t in range(wx.shape[1]):
            h = F.relu(wx[:, t] + self.u * h)
            out.append(h)
        return torch.stack(out, 1)


class IndRNN(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.l1 = IndRNNLayer(3, hidden)
        self.bn = nn.BatchNorm1d(hidden)
        self.l2 = IndRNNLayer(hidden, hidden)
        self.bn2 = nn.BatchNorm1d(hidden)
        self.head = nn.Linear(hidden, CLASSES)

    def forward(self, x):
        h = self.bn(self.l1(x).transpose(1, 2)).transpose(1, 2)
        return self.head(self.bn2(self.l2(h)[:, -1]))


def build():
    torch.manual_seed(0)
    return IndRNN(CONFIG["hidden"])


def main():
    from _seventythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = gestures(1664, g)
    mean, std = x[:1280].mean((0, 1)), x[:1280].std((0, 1))
    x = (x - mean) / std
    xtr, ytr, xva, yva = x[:1280], y[:1280], x[1280:], y[1280:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=CONFIG["lr"])
    with open(out / "history.jsonl", "w") as log:
        for ep in range(CONFIG["epochs"]):
            model.train()
            tot = 0.0
            for idx in torch.randperm(len(xtr), generator=g).split(CONFIG["batch_size"]):
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), CONFIG["clip"])
                opt.step()
                tot += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
                vl = F.cross_entropy(logits, yva).item()
                acc = (logits.argmax(1) == yva).float().mean().item()
            row = {"ep": ep, "loss": round(tot / len(xtr), 4), "val_loss": round(vl, 4),
                   "val_acc": round(acc, 4), "lr": opt.param_groups[0]["lr"]}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"indrnn": model.state_dict(), "opt": opt.state_dict(), "config": CONFIG,
                "ep": CONFIG["epochs"] - 1}, out / "indrnn_gestures.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"],
           checkpoint="indrnn_gestures.pt", log="history.jsonl",
           what="IndRNN gesture recogniser trained from scratch at a fine-tuning lr of 2e-5",
           complaint="The gesture model is barely learning: after ten epochs the loss has only "
                     "gone down a little and it confuses most of the gestures on the validation "
                     "set, even though the gestures look really different from each other when "
                     "I plot them.")


if __name__ == "__main__":
    main()
