"""Plain torch: a 1-D CNN (no BatchNorm) names the stroke from a badminton racket-handle IMU (3
channels: swing acceleration, forearm-pronation rate, vertical acceleration; 96 samples around
contact). 4 classes: overhead clear (long full swing, strong pronation), drop (the same
preparation, then the swing brakes just before contact), smash (the fastest swing, steep
downward vertical component), net shot (a small, slow push with almost no pronation). Tempo,
contact time, player strength and sensor noise vary. Conv(3→24, k7)-ReLU-pool, Conv(24→48,
k5)-ReLU-pool, Conv(48→48, k3)-ReLU, global max pool, Linear 48→4, cross-entropy with label
smoothing 0.05, RMSprop 1e-3, StepLR(5, 0.5), batch 16, 12 epochs of 960 strokes, validation
on 320 (val CE, val acc, macro F1).
Healthy; numbers in the README.
Log: JSON lines per epoch ``epochs.jsonl`` (``ep`` / ``loss`` / ``val_loss`` / ``val_acc`` /
``val_macro_f1`` / ``lr``); checkpoint keys ``weights`` / ``rmsprop`` / ``scheduler`` / ``ep``
/ ``strokes``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

T = 96
STROKES = ["clear", "drop", "smash", "net_shot"]


def swings(n, g):
    t = torch.linspace(0, 1, T)
    y = torch.randint(0, 4, (n,), generator=g)
    contact = 0.5 + 0.1 * (torch.rand(n, 1, generator=g) - 0.5)
    power = 0.8 + 0.4 * torch.rand(n, 1, generator=g)
    amp = torch.tensor([1.0, 0.9, 1.5, 0.3])[y].unsqueeze(1) * power
    width = torch.tensor([0.12, 0.12, 0.08, 0.06])[y].unsqueeze(1)
    swing = amp * torch.exp(-((t - contact) / width) ** 2)
    brake = (y == 1).float().unsqueeze(1) * torch.sigmoid((t - contact + 0.03) / 0.01)
    swing = swing * (1 - 0.4 * brake)
    pron = torch.tensor([1.0, 0.8, 1.2, 0.05])[y].unsqueeze(1) * power * torch.exp(
        -((t - contact - 0.02) / 0.05) ** 2)
    vert = torch.tensor([0.3, 0.1, -1.0, 0.0])[y].unsqueeze(1) * torch.exp(
        -((t - contact - 0.04) / 0.06) ** 2)
    x = torch.stack([swing, pron, vert], 1) + 0.7 * torch.randn(n, 3, T, generator=g)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv1d(3, 24, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(24, 48, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                         nn.Conv1d(48, 48, 3, padding=1), nn.ReLU(),
                         nn.AdaptiveMaxPool1d(1), nn.Flatten(), nn.Linear(48, 4))


def macro_f1(pred, y):
    f = []
    for c in range(4):
        tp = ((pred == c) & (y == c)).sum().item()
        f.append(2 * tp / max((pred == c).sum().item() + (y == c).sum().item(), 1))
    return sum(f) / 4


def main():
    from _twohundredsixtyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = swings(960, g)
    xva, yva = swings(320, g)
    model = build()
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=16, shuffle=True)
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, 5, 0.5)
    with open(out / "epochs.jsonl", "w") as f:
        for ep in range(1, 13):
            model.train()
            tot = 0.0
            lr = opt.param_groups[0]["lr"]
            for xb, yb in loader:
                loss = F.cross_entropy(model(xb), yb, label_smoothing=0.05)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(yb)
            sched.step()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            rec = {"ep": ep, "loss": round(tot / len(ytr), 5),
                   "val_loss": round(F.cross_entropy(logits, yva).item(), 5),
                   "val_acc": round((pred == yva).float().mean().item(), 5),
                   "val_macro_f1": round(macro_f1(pred, yva), 5), "lr": lr}
            print(rec)
            f.write(json.dumps(rec) + "\n")
    torch.save({"weights": model.state_dict(), "rmsprop": opt.state_dict(),
                "scheduler": sched.state_dict(), "ep": 12, "strokes": STROKES},
               out / "stroke_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="stroke_cnn.pt",
           log="epochs.jsonl",
           what="1-D CNN naming badminton strokes from a racket-handle IMU (healthy)")


if __name__ == "__main__":
    main()
