"""1-D conv net on raw pressure readings (hPa, around 1013): the standardisation step was
never written, so the inputs are ~1000 with a spread of ~8."""
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_traces(n, g):
    t = torch.linspace(0, 1, 128)
    y = torch.randint(0, 4, (n,), generator=g)
    freq = 3 + 4 * torch.rand(n, 1, generator=g)
    phase = 2 * math.pi * torch.rand(n, 1, generator=g)
    s = torch.sin(2 * math.pi * freq * t + phase)
    waves = torch.stack([s, torch.sign(s), (freq * t + phase) % 1.0 * 2 - 1, torch.zeros_like(s)])
    x = waves[y, torch.arange(n)] + 0.3 * torch.randn(n, 128, generator=g)
    return (1013.0 + 8.0 * x).unsqueeze(1), y  # a pressure sensor: hPa around 1013


class TSNet(nn.Module):
    def __init__(self, n_classes=4):
        super().__init__()
        self.conv1 = nn.Conv1d(1, 16, 7, padding=3)
        self.conv2 = nn.Conv1d(16, 32, 5, padding=2)
        self.fc = nn.Linear(32, n_classes)

    def forward(self, x):
        x = F.max_pool1d(F.relu(self.conv1(x)), 2)
        x = F.relu(self.conv2(x))
        return self.fc(x.mean(dim=2))


def build():
    torch.manual_seed(0)
    return TSNet()


def main():
    from _hand import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = make_traces(2048, g)
    xva, yva = make_traces(512, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=6, gamma=0.5)
    logf = open(out / "metrics.jsonl", "w")
    for epoch in range(12):
        model.train()
        perm = torch.randperm(len(xtr))
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            out_va = model(xva)
            val_loss = F.cross_entropy(out_va, yva).item()
            val_acc = (out_va.argmax(1) == yva).float().mean().item()
        logf.write(json.dumps({"epoch": epoch, "train_loss": loss.item(), "val_loss": val_loss,
                               "val_acc": val_acc, "lr": sched.get_last_lr()[0]}) + "\n")
        sched.step()
    logf.close()
    print(f"val acc {val_acc:.3f}")
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 12},
               out / "model_final.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["input_not_normalized"],
           checkpoint="model_final.pt", log="metrics.jsonl",
           what="1-D conv fed raw hPa readings (mean 1013, std 8), no standardisation",
           complaint="accuracy stays low and the loss barely moves after the first epoch")


if __name__ == "__main__":
    main()
