"""Engine fault classification from 40 steps of three sensor channels -- coolant
temperature, engine speed and intake pressure, standardised per channel with the train
stats -- into 4 classes (normal, overheating ramp, rpm oscillation, pressure drop), a 1-layer
LSTM on the last hidden state, Adam 3e-3, batch 32, 12 epochs. Bug: ``opt.zero_grad()`` was
lost when the loop was refactored, so every step uses the sum of all gradients so far: val
accuracy climbs to 0.87 in epoch 2, then the loss grows to ~3 and accuracy falls to 0.2-0.45
(with ``zero_grad()``: 0.998)."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 40


def engines(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.arange(T, dtype=torch.float32)[None]
    temp = 90 + 8 * torch.randn(n, 1, generator=g) + 0.8 * torch.randn(n, T, generator=g)
    rpm = 3000 + 250 * torch.randn(n, 1, generator=g) + 30 * torch.randn(n, T, generator=g)
    pres = 1013 + 4 * torch.randn(n, 1, generator=g) + 0.5 * torch.randn(n, T, generator=g)
    start = torch.randint(5, 30, (n, 1), generator=g)
    after = (t >= start).float()
    temp = temp + (y == 1)[:, None] * 1.0 * (t - start).clamp(min=0)
    rpm = rpm + (y == 2)[:, None] * 500 * torch.sin(2 * math.pi * t / 6) * after
    pres = pres - (y == 3)[:, None] * 10 * after
    return torch.stack([temp, rpm, pres], -1), y


class EngineLSTM(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.lstm = nn.LSTM(3, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, 4)

    def forward(self, x):
        _, (h, _) = self.lstm(x)
        return self.fc(h[-1])


def build():
    torch.manual_seed(0)
    return EngineLSTM()


def main():
    from _seventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = engines(1600, g), engines(400, g)
    mu, sd = x.mean((0, 1)), x.std((0, 1))
    x, vx = (x - mu) / sd, (vx - mu) / sd
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    with open(out / "train_log.jsonl", "w") as f:
        for epoch in range(12):
            model.train()
            perm, tot, hit = torch.randperm(len(x), generator=g), 0.0, 0
            for i in range(0, len(x), 32):
                idx = perm[i:i + 32]
                logits = model(x[idx])
                loss = F.cross_entropy(logits, y[idx])
                loss.backward()  # BUG: opt.zero_grad() went missing in a refactor
                opt.step()
                tot += loss.item() * len(idx)
                hit += (logits.argmax(1) == y[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                vo = model(vx)
            rec = {"epoch": epoch, "loss": tot / len(x), "accuracy": hit / len(x),
                   "val_loss": F.cross_entropy(vo, vy).item(),
                   "val_accuracy": (vo.argmax(1) == vy).float().mean().item()}
            f.write(json.dumps(rec) + "\n")
            print({k: round(v, 4) for k, v in rec.items()})
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "engine_lstm.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["missing_zero_grad"],
           checkpoint="engine_lstm.pt", log="train_log.jsonl",
           what="LSTM fault classifier, optimizer.zero_grad() missing",
           complaint="accuracy was 87% after 3 epochs and then the loss went up to 3 and "
                     "accuracy dropped to 40%, what is going on with my LSTM")


if __name__ == "__main__":
    main()
