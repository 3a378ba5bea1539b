"""Plain torch: a 1-D CNN with BatchNorm reads a marathon runner's watch file, 42 one-kilometre
rows of 3 channels (pace relative to the runner's mean, heart rate relative to the runner's
mean, air temperature), and names the pacing story for the coaching app: 0 even, 1 negative
split, 2 slow fade, 3 hit the wall (pace jumps 6–20 % after km 28–35 while the heart rate sags).
The same course for everybody (a hill at km 12–15), 2.5 % stride noise and 4 bpm strap noise.
stem Conv1d(3→16, 5)-BN-ReLU; blocks Conv1d(16→32, 5)-BN-ReLU-MaxPool(2)-Conv1d(32→32, 3)-BN-
ReLU-AdaptiveAvgPool(1); head Linear(32→4). Adam with two parameter groups (stem 1e-3, head
3e-3, a faster head), batch 64, 12 epochs of 1024 runners.
Log: TSV per epoch (``epoch``, ``loss``, ``val_loss``, ``val_acc``); checkpoint ``state_dict`` /
``optimizer`` / ``epoch``.
The bug: the parameter groups name ``model.stem`` and ``model.head`` and leave out
``model.blocks``, the two conv layers and their BatchNorms, which stay at their random init (the
BN running statistics still move). Train loss 1.36 → 1.30 → 1.24 → 0.64 at epoch 12, val loss
1.374 → 0.630, val accuracy 0.25, 0.58, 0.70, 0.77 at 4, 0.89 at 12: a slow crawl.
Control (the blocks in the head's group): val loss 1.048 after epoch 1, 0.351 at 4, 0.13–0.19
from epoch 7, val accuracy 0.83 → 0.96 at 7–10 (0.94 at 12), train loss 1.09 → 0.12."""
import torch
import torch.nn as nn

K = 42


def watch_files(n, g):
    km = torch.arange(K).float()
    course = 1 + 0.04 * ((km >= 12) & (km < 15))
    style = torch.randint(0, 4, (n,), generator=g)
    start = 8 + 25 * torch.rand(n, 1, generator=g)
    wall_at = 28 + 7 * torch.rand(n, 1, generator=g)
    neg = 1.025 - 0.05 * km / (K - 1)
    fade = 1 + 0.004 * (km - start).clamp(min=0)
    jump = torch.sigmoid(3 * (km - wall_at))
    wall = 1 + (0.06 + 0.14 * torch.rand(n, 1, generator=g)) * jump
    shape = torch.ones(n, K)
    shape = torch.where(style[:, None] == 1, neg, shape)
    shape = torch.where(style[:, None] == 2, fade, shape)
    shape = torch.where(style[:, None] == 3, wall, shape)
    pace = course * shape * (1 + 0.025 * torch.randn(n, K, generator=g))
    hr = 160 + 0.3 * km - 8 * (style[:, None] == 3) * jump + 4 * torch.randn(n, K, generator=g)
    temp = 10 + 12 * torch.rand(n, 1, generator=g) + 0.15 * km
    x = torch.stack([(pace / pace.mean(1, keepdim=True) - 1) * 20,
                     (hr - hr.mean(1, keepdim=True)) / 5, (temp - 16) / 4], 1)
    return x, style


class PacingCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv1d(3, 16, 5, padding=2), nn.BatchNorm1d(16), nn.ReLU())
        self.blocks = nn.Sequential(
            nn.Conv1d(16, 32, 5, padding=2), nn.BatchNorm1d(32), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 3, padding=1), nn.BatchNorm1d(32), nn.ReLU(),
            nn.AdaptiveAvgPool1d(1))
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.blocks(self.stem(x)).flatten(1))


def build():
    torch.manual_seed(0)
    return PacingCNN()


def main():
    from _twohundredfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = watch_files(1280, g)
    xtr, ytr, xva, yva = x[:1024], y[:1024], x[1024:], y[1024:]
    model = build()
    opt = torch.optim.Adam([
        {"params": model.stem.parameters(), "lr": 1e-3},
        {"params": model.head.parameters(), "lr": 3e-3},
    ])
    ce = nn.CrossEntropyLoss()
    with open(out / "pacing_train.tsv", "w") as log:
        log.write("epoch\tloss\tval_loss\tval_acc\n")
        for epoch in range(1, 13):
            model.train()
            perm = torch.randperm(1024, generator=g)
            total = 0.0
            for i in range(0, 1024, 64):
                idx = perm[i:i + 64]
                loss = ce(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.item() * len(idx)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
                val_loss = ce(logits, yva).item()
                val_acc = (logits.argmax(1) == yva).float().mean().item()
            log.write(f"{epoch}\t{total / 1024:.4f}\t{val_loss:.4f}\t{val_acc:.4f}\n")
            print(epoch, round(total / 1024, 4), round(val_loss, 4), round(val_acc, 4))
            torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                        "epoch": epoch}, out / "pacing_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="pacing_cnn.pt", log="pacing_train.tsv",
           what="1-D BN CNN naming a marathon's pacing story; the Adam parameter groups list the"
                " stem and the head but not the conv blocks",
           complaint=('Our marathon pacing classifier (1-D CNN, 4 classes: even / negative split / fade / hit '
                      'the wall) trains really slowly: train loss 1.36 → 0.64 over 12 epochs, val loss 1.37 → '
                      '0.63, val accuracy only gets from 0.25 to 0.89. The classes are easy to tell apart by '
                      'eye from the pace curves. I gave the head a higher learning rate (3e-3) to speed it up '
                      "but it still crawls. What's holding it back?"))


if __name__ == "__main__":
    main()
