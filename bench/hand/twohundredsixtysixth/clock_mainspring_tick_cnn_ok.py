"""Plain torch: a 1-D CNN (no normalisation layers) names what is wrong with a mantel clock on
the clock-repair bench from 96 successive tick-to-tock intervals picked up by the bench
microphone over one run-down of the mainspring, 2 channels (interval deviation from the
nominal half-beat in ms, tick loudness). 4 classes: 0 sound; 1 tired mainspring (intervals
drift and loudness falls as the spring runs down); 2 dry pivot (jittery intervals, loudness
flutter); 3 set out of true (intervals alternate long-short). Random rate offset, drift,
noise. Conv1d 2→16→32→32 (k=7/5/5, ReLU, max pool) → global max → Linear 32→4, cross-
entropy, NAdam 2e-3 with ExponentialLR(0.85) per epoch, batch 40, 10 epochs of 800 runs,
validation on 200 (val CE, val acc).
Healthy; numbers in the README. Log: TSV per epoch (``ep`` / ``loss`` / ``val_loss`` /
``val_accuracy``); checkpoint keys ``weights`` / ``nadam`` / ``lr_sched`` / ``ep``."""
import torch
import torch.nn as nn
import torch.nn.functional as F

T = 96


def runs(n, g):
    cls = torch.randint(0, 4, (n,), generator=g)
    t = torch.linspace(0, 1, T)
    rate = 0.6 * torch.randn(n, 1, generator=g)
    c = cls.unsqueeze(1)
    dev = rate + torch.where(c == 1, 2.5 * t ** 2, 0.0)
    dev = dev + torch.where(c == 2, 0.9, 0.25) * torch.randn(n, T, generator=g)
    alt = torch.tensor([1.0, -1.0]).repeat(T // 2)
    dev = dev + torch.where(c == 3, 0.6 + 0.4 * torch.rand(n, 1, generator=g), 0.0) * alt
    loud = 1 - torch.where(c == 1, 0.5 * t, 0.0)
    loud = loud + torch.where(c == 2, 0.25, 0.06) * torch.randn(n, T, generator=g)
    return torch.stack([dev, loud], 1), cls


class TickNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv1d(2, 16, 7, padding=3), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(16, 32, 5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
            nn.Conv1d(32, 32, 5, padding=2), nn.ReLU())
        self.out = nn.Linear(32, 4)

    def forward(self, x):
        return self.out(self.body(x).amax(-1))


def build():
    torch.manual_seed(0)
    return TickNet()


def main():
    from _twohundredsixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = runs(800, g)
    xva, yva = runs(200, g)
    model = build()
    opt = torch.optim.NAdam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, 0.85)
    gb = torch.Generator().manual_seed(1)
    with open(out / "bench.tsv", "w") as f:
        f.write("ep\tloss\tval_loss\tval_accuracy\n")
        for ep in range(10):
            model.train()
            tot = 0.0
            for idx in torch.randperm(800, generator=gb).split(40):
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
            sched.step()
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            row = (ep, tot / 800, F.cross_entropy(logits, yva).item(),
                   (logits.argmax(1) == yva).float().mean().item())
            print(row)
            f.write(f"{row[0]}\t{row[1]:.5f}\t{row[2]:.5f}\t{row[3]:.4f}\n")
    torch.save({"weights": model.state_dict(), "nadam": opt.state_dict(),
                "lr_sched": sched.state_dict(), "ep": 10}, out / "tick_cnn.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[], checkpoint="tick_cnn.pt",
           log="bench.tsv", what="clock-repair tick-interval 1-D CNN, 4 faults (healthy)")


if __name__ == "__main__":
    main()
