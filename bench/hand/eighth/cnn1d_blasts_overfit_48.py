"""Quarry blast or earthquake? A 1-D CNN on single-channel seismograph windows (256 samples)
from a new station with only 48 labelled events so far, and noisy ones: a wide net (64-128
channels, a flattened 4096-wide feature map into the classifier, 0.6 M parameters), no
dropout, no augmentation, no weight decay, Adam 1e-3 full-batch for 150 epochs, logging every
5. Bug: over-fitting -- train accuracy 1.00 by epoch 30 and a train loss of 7e-5, while the
val loss climbs from 0.69 to 1.86 and val accuracy stays at 0.55-0.58."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

T = 256


def events(n, g):
    y = torch.randint(0, 2, (n,), generator=g)
    t = torch.arange(T, dtype=torch.float32)[None]
    x = 0.8 * torch.randn(n, T, generator=g)
    onset = torch.randint(30, 150, (n, 1), generator=g).float()
    after = (t >= onset).float()
    freq = 0.05 + 0.05 * torch.rand(n, 1, generator=g)
    ring = torch.exp(-(t - onset).clamp(min=0) / 30) * after * torch.sin(2 * torch.pi * freq * t)
    spike = torch.exp(-(t - onset).clamp(min=0) / 8) * after * torch.sign(
        torch.randn(n, T, generator=g))
    x = x + (y == 0)[:, None] * 1.2 * ring + (y == 1)[:, None] * 1.5 * spike
    return x.unsqueeze(1), y


class BlastNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv1d(1, 64, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(64, 128, 5, padding=2), nn.ReLU(), nn.MaxPool1d(4))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(128 * 32, 128), nn.ReLU(),
                                        nn.Linear(128, 2))

    def forward(self, x):
        return self.classifier(self.features(x))


def build():
    torch.manual_seed(0)
    return BlastNet()


def main():
    from _eighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    (x, y), (vx, vy) = events(48, g), events(400, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "log.jsonl", "w") as f:
        for epoch in range(1, 151):
            model.train()
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if epoch % 5 == 0:
                model.eval()
                with torch.no_grad():
                    vo = model(vx)
                rec = {"epoch": epoch, "train_loss": loss.item(),
                       "train_acc": (logits.argmax(1) == y).float().mean().item(),
                       "val_loss": F.cross_entropy(vo, vy).item(),
                       "val_acc": (vo.argmax(1) == vy).float().mean().item()}
                f.write(json.dumps(rec) + "\n")
                print({k: round(v, 5) for k, v in rec.items()})
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "blastnet.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["overfitting"],
           checkpoint="blastnet.pt", log="log.jsonl",
           what="wide 1-D CNN on 48 seismic events, 300 epochs, no regularisation: over-fitting",
           complaint="training accuracy is 100% but on the validation events it is barely better "
                     "than a coin flip, and the val loss keeps going up")


if __name__ == "__main__":
    main()
