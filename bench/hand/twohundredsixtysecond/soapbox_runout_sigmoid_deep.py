"""Plain torch: a deep MLP tells a soapbox derby's safety crew whether a car will stop
before the hay bales at the end of the run-out, from 8 numbers measured at the finish line:
speed, brake type (drum/pad/scrub block as a code), brake wear, tyre width, run-out surface
wetness, car + driver mass, run-out slope, and one unused column. The rule: stopping distance
v² / (2·(μ·g·cosθ - g·sinθ)) against a 25 m run-out, where μ depends on brake type, wear, tyre
width and wetness; label 1 = stops in time (77 %). 12 hidden layers of width 48 with
Sigmoid activations, Kaiming-normal weights and zero biases, Linear 48-1, BCEWithLogitsLoss, SGD momentum 0.9 lr 0.05,
batch 64, 20 epochs of 1536 cars, validation on 384.
The bug: every hidden layer uses ``nn.Sigmoid`` ("smooth and bounded, keeps a deep stack
from blowing up"). Twelve sigmoids in a row shrink the gradient by at least 4x per layer, so
the first layers get almost nothing (first-layer gradient norm ~1e-7) and the net only ever
predicts "stops": train BCE 0.564 → 0.539, val BCE 0.540 → 0.532 (0.529–0.540 throughout), val
accuracy 0.7786 every epoch, the share of cars that stop. Control (``act = nn.ReLU`` on that
line): first-layer gradient norm 0.15–0.8, train BCE 0.503 → 0.051, val BCE 0.424 → 0.080,
val accuracy 0.7786 → 0.974.
Log: JSON lines per epoch (``epoch`` / ``bce`` / ``val_bce`` / ``val_acc`` /
``grad_norm_first``, the gradient norm of the first layer's weight on the last step);
checkpoint ``runout_mlp.pt`` with ``state_dict`` / ``optim`` / ``epoch`` / ``depth``."""
import json

import torch
import torch.nn as nn

DEPTH = 12


def cars(n, g):
    v = (25 + 20 * torch.rand(n, generator=g)) / 3.6
    brake = torch.randint(0, 3, (n,), generator=g)
    wear = torch.rand(n, generator=g)
    tyre = torch.rand(n, generator=g)
    wet = torch.rand(n, generator=g)
    mass = 70 + 50 * torch.rand(n, generator=g)
    slope = torch.deg2rad(-1 + 4 * torch.rand(n, generator=g))
    junk = torch.randn(n, generator=g)
    mu = (torch.tensor([0.35, 0.55, 0.45])[brake] * (1 - 0.4 * wear) * (0.8 + 0.4 * tyre)
          * (1 - 0.35 * wet))
    dec = 9.81 * (mu * torch.cos(slope) - torch.sin(slope))
    dist = v ** 2 / (2 * dec.clamp(min=0.05)) * (1 + 0.0015 * (mass - 95))
    y = (dist < 25).float()
    x = torch.stack([(v - 9.7) / 1.6, brake - 1.0, wear * 2 - 1, tyre * 2 - 1, wet * 2 - 1,
                     (mass - 95) / 14, (torch.rad2deg(slope) - 1) / 1.15, junk], 1)
    return x, y


def build():
    torch.manual_seed(0)
    act = nn.Sigmoid  # smooth and bounded, keeps a deep stack from blowing up
    layers, d = [], 8
    for _ in range(DEPTH):
        lin = nn.Linear(d, 48)
        nn.init.kaiming_normal_(lin.weight)
        nn.init.zeros_(lin.bias)
        layers += [lin, act()]
        d = 48
    return nn.Sequential(*layers, nn.Linear(48, 1), nn.Flatten(0))


def main():
    from _twohundredsixtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = cars(1536, g)
    xva, yva = cars(384, g)
    print("stops in time share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=64, shuffle=True)
    net = build()
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    crit = nn.BCEWithLogitsLoss()
    with open(out / "runout.jsonl", "w") as f:
        for epoch in range(20):
            net.train()
            tot = 0.0
            for xb, yb in loader:
                opt.zero_grad()
                loss = crit(net(xb), yb)
                loss.backward()
                gfirst = net[0].weight.grad.norm().item()
                opt.step()
                tot += loss.item() * len(yb)
            net.eval()
            with torch.no_grad():
                o = net(xva)
            rec = {"epoch": epoch, "bce": round(tot / len(ytr), 5),
                   "val_bce": round(crit(o, yva).item(), 5),
                   "val_acc": round(((o > 0).float() == yva).float().mean().item(), 4),
                   "grad_norm_first": float(f"{gfirst:.3e}")}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"state_dict": net.state_dict(), "optim": opt.state_dict(), "epoch": 20,
                "depth": DEPTH}, out / "runout_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["vanishing_gradients"],
           checkpoint="runout_mlp.pt", log="runout.jsonl",
           what="soapbox run-out stop/no-stop MLP with 12 Sigmoid hidden layers",
           complaint=("The run-out safety model for our soapbox derby never learns anything: 20"
                      " epochs, train BCE 0.56 -> 0.54, val accuracy exactly 0.7786 every"
                      " epoch, which is just the share of cars that stop in time, so it"
                      " says 'stops' for every car. The physics is simple (speed, brakes,"
                      " wet surface). I went deep (12 layers) on purpose to be safe. Is the"
                      " learning rate wrong?"))


if __name__ == "__main__":
    main()
