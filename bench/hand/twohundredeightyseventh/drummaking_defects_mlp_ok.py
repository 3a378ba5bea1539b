"""Plain torch: a drum maker's final inspection model flags, from the tap test of a finished
side drum (the first five head modes' frequencies relative to the fundamental, their decay
times, and the wire buzz level after each tap), which of three faults it has, any number
at once (multi-label): uneven bearing edge (the (1,1) mode splits: a second peak 2-6 % away,
and the ratio ladder drifts), head not seated (a fast-decaying fundamental and a low (0,1)
sustain), wires under the resonant head buzzing (buzz energy 2-4× normal, mostly after the
soft taps). An ideal drumhead's ratios 1, 1.59, 2.14, 2.30, 2.65 are pulled towards harmonic by the air in the
shell; every drum has its own size and tuning, and the meter adds noise.
Features (16, standardised): 5 ratios, the split of the (1,1) peak, 5 decay times (log), 3
buzz levels (log), shell depth / diameter, tuning in Hz / 200. MLP 16→96-ReLU-Dropout(0.1)-
96→48-ReLU-48→3 logits; BCE with logits, Adam 2e-3 with OneCycleLR over 14 epochs, batch 40,
2400 drums, validation on 600 (per-fault F1 at 0.5, exact-match rate).
Log: TSV per epoch ``inspection.tsv`` (``epoch`` / ``bce`` / ``val_bce`` / ``f1_edge`` /
``f1_seat`` / ``f1_buzz`` / ``exact``); checkpoint ``defects_mlp.pt`` with keys ``mlp`` /
``opt`` / ``onecycle`` / ``epoch`` / ``faults`` / ``mean`` / ``std``.
Healthy; numbers in the README."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

FAULTS = ["bearing_edge", "head_not_seated", "wire_buzz"]
IDEAL = torch.tensor([1.0, 1.59, 2.14, 2.30, 2.65])


def side_drums(n, g):
    faults = (torch.rand(n, 3, generator=g) < torch.tensor([0.3, 0.25, 0.35])).float()
    edge, seat, buzz = faults.unbind(1)
    air = 0.1 + 0.15 * torch.rand(n, 1, generator=g)
    harm = torch.arange(1, 6).float()
    ratios = IDEAL + air * (harm - IDEAL) / harm * 1.5
    ratios = ratios + edge.unsqueeze(1) * 0.03 * torch.randn(n, 5, generator=g)
    split = edge * (0.02 + 0.04 * torch.rand(n, generator=g)) + 0.006 * torch.rand(n, generator=g)
    decay = (0.4 + 0.3 * torch.rand(n, 1, generator=g)) / harm ** 0.5
    decay = decay * (1 - seat.unsqueeze(1) * torch.tensor([0.5, 0.35, 0.1, 0.1, 0.1]))
    decay = decay * (1 + 0.08 * torch.randn(n, 5, generator=g))
    base = 0.05 * (1 + 0.3 * torch.rand(n, 1, generator=g))
    buzzl = base * (1 + buzz.unsqueeze(1) * (2 + 2 * torch.rand(n, 1, generator=g))
                    * torch.tensor([1.0, 0.7, 0.4]))
    buzzl = buzzl * (1 + 0.15 * torch.randn(n, 3, generator=g)).clamp(min=0.2)
    depth = 0.3 + 0.4 * torch.rand(n, generator=g)
    tune = (150 + 250 * torch.rand(n, generator=g)) / 200
    ratios = ratios + 0.01 * torch.randn(n, 5, generator=g)
    x = torch.cat([ratios, split.unsqueeze(1), decay.log(), buzzl.log(), depth.unsqueeze(1),
                   tune.unsqueeze(1)], 1)
    return x, faults


class DefectMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(16, 96), nn.ReLU(), nn.Dropout(0.1), nn.Linear(96, 48),
                                 nn.ReLU(), nn.Linear(48, 3))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return DefectMLP()


def f1(p, y):
    tp = (p * y).sum(0)
    return 2 * tp / (p.sum(0) + y.sum(0)).clamp(min=1)


def main():
    from _twohundredeightyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = side_drums(2400, g)
    xva, yva = side_drums(600, g)
    mu, sd = xtr.mean(0), xtr.std(0)
    xtr, xva = (xtr - mu) / sd, (xva - mu) / sd
    print("fault rates", ytr.mean(0))
    torch.manual_seed(1)
    loader = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, epochs=14,
                                                steps_per_epoch=len(loader))
    with open(out / "inspection.tsv", "w") as f:
        f.write("epoch\tbce\tval_bce\tf1_edge\tf1_seat\tf1_buzz\texact\n")
        for epoch in range(14):
            model.train()
            tot = 0.0
            for xb, yb in loader:
                loss = F.binary_cross_entropy_with_logits(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
                vb = F.binary_cross_entropy_with_logits(lv, yva).item()
                p = (lv > 0).float()
                fs = f1(p, yva).tolist()
                exact = (p == yva).all(1).float().mean().item()
            f.write(f"{epoch}\t{tot / len(xtr):.5f}\t{vb:.5f}\t" + "\t".join(f"{v:.4f}" for v in fs)
                    + f"\t{exact:.4f}\n")
            print(epoch, round(tot / len(xtr), 4), round(vb, 4), [round(v, 3) for v in fs],
                  round(exact, 4))
    torch.save({"mlp": model.state_dict(), "opt": opt.state_dict(), "onecycle": sched.state_dict(),
                "epoch": 14, "faults": FAULTS, "mean": mu, "std": sd}, out / "defects_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="defects_mlp.pt", log="inspection.tsv",
           what="multi-label MLP flagging side drum build faults from the tap test (healthy)")


if __name__ == "__main__":
    main()
