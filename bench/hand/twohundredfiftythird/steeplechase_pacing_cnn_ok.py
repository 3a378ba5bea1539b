"""Plain torch: a 1-D CNN with BatchNorm labels a 3000 m steeplechase race's pacing strategy
from a 4-channel trace sampled every 100 m (30 points: split pace, heart rate, stride length,
barrier clearance time) as even, negative split, fast start then fade, or mid-race surge. The
class fixes the shape of the pace curve; heart rate and stride follow pace with lags, barrier
time gets worse as the runner tires, and every channel is noisy, so the class must be read off
the curve's shape. Conv1d 4→16→32 (k=5, BN, ReLU, pooling) → global average → Linear 4, Adam
1e-3, batch 32, 20 epochs of 1024 races, validation on 256.
Healthy, noisy: numbers in the README. Log: JSON lines per epoch; checkpoint keys
``model_state_dict`` / ``optimizer_state_dict`` / ``epoch``."""
import json

import torch
import torch.nn as nn

T = 30


def races(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    t = torch.linspace(0, 1, T)
    shapes = torch.stack([torch.zeros(T), 0.6 * (0.5 - t), -0.8 * (0.5 - t) ** 1 - 0.3 * t ** 2,
                          -0.7 * torch.exp(-((t - 0.55) / 0.1) ** 2)])
    pace = 3.1 + shapes[y] * (0.6 + 0.8 * torch.rand(n, 1, generator=g))
    pace = pace + 0.05 * torch.randn(n, T, generator=g) + 0.2 * torch.randn(n, 1, generator=g)
    hr = 170 - 25 * (torch.roll(pace, 2, 1) - 3.1) + 2 * torch.randn(n, T, generator=g)
    stride = 1.9 - 0.3 * (pace - 3.1) + 0.03 * torch.randn(n, T, generator=g)
    barrier = 0.4 + 0.1 * t.cumsum(0) / T - 0.05 * (pace - 3.1) + 0.02 * torch.randn(n, T,
                                                                                    generator=g)
    x = torch.stack([pace - 3.1, (hr - 170) / 10, (stride - 1.9) * 5, (barrier - 0.45) * 10], 1)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(4, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU(),
                         nn.MaxPool1d(2),
                         nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(),
                         nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 4))


def main():
    from _twohundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = races(1024, g)
    xva, yva = races(256, g)
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.CrossEntropyLoss()
    with open(out / "train_log.jsonl", "w") as f:
        for epoch in range(20):
            model.train()
            total, correct = 0.0, 0
            for xb, yb in loader:
                opt.zero_grad()
                logits = model(xb)
                loss = crit(logits, yb)
                loss.backward()
                opt.step()
                total += loss.item() * len(yb)
                correct += (logits.argmax(1) == yb).sum().item()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            rec = {"epoch": epoch, "loss": round(total / len(ytr), 4),
                   "accuracy": round(correct / len(ytr), 4),
                   "val_loss": round(crit(lv, yva).item(), 4),
                   "val_accuracy": round((lv.argmax(1) == yva).float().mean().item(), 4)}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 20}, out / "pacing_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="pacing_cnn.pt",
           log="train_log.jsonl",
           what="1-D CNN with BN classifying steeplechase pacing strategy from 100 m traces"
                " (healthy)")


if __name__ == "__main__":
    main()
