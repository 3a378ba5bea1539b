"""Plain torch: a deep MLP grades a bobsled's exit from the Kreisel curve (slow / clean / fast)
from 16 numbers the track's curve sensors and the sled log per run: entry speed, the line's
height on the wall, the pilot's steering inputs, runner temperature, skid time, ... The grade
follows nonlinear mixes of five of them. MLP 16 → 8 hidden layers of 64 → 3, SGD lr 0.1 with
momentum 0.9, batch 64, 30 epochs of 1536 runs, shuffled. Per-epoch TSV ``curve_exit.tsv``.
The bug: the hidden stack is built in a loop with ``nn.Sigmoid()`` as the activation (copied
from an old two-layer model): eight saturating layers on PyTorch's default init, and the
gradient norm of the first layer's weight is 6e-8 against 0.46 for the last layer's (at init,
on 256 runs). The loss stays near ln 3 and the model predicts the majority grade: epoch 1 train
loss 1.118, epoch 30 train 1.086 / acc 0.415 (the majority share), val 1.087 / acc 0.406 (the
majority share of the val set) every epoch from 19 on.
Control (``sed 's/nn.Sigmoid()/nn.ReLU()/'``): stuck at the prior for ~10 epochs, then learns:
epoch 14 val acc 0.65, epoch 30 train 0.245 / acc 0.917, val 0.521 / acc 0.831."""
import torch
import torch.nn as nn

DEPTH, WIDTH = 8, 64


def runs(n, g):
    x = torch.randn(n, 16, generator=g)
    s = torch.stack([x[:, 0] + 0.7 * x[:, 1] * x[:, 2],
                     0.9 - x[:, 3] ** 2 + 0.3 * x[:, 0],
                     x[:, 4] * 0.8 - 0.6 * x[:, 1] + 0.4 * x[:, 2].abs()], 1)
    return x, s.argmax(1)


def build():
    torch.manual_seed(0)
    layers, w = [], 16
    for _ in range(DEPTH):
        layers += [nn.Linear(w, WIDTH), nn.Sigmoid()]
        w = WIDTH
    layers.append(nn.Linear(WIDTH, 3))
    return nn.Sequential(*layers)


def main():
    from _twohundredfourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = runs(1536, g)
    xva, yva = runs(384, g)
    print("class shares", (torch.bincount(ytr) / len(ytr)).tolist())
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    step = 0
    with open(out / "curve_exit.tsv", "w") as f:
        f.write("epoch\ttrain_loss\ttrain_acc\tval_loss\tval_acc\n")
        for epoch in range(1, 31):
            model.train()
            perm = torch.randperm(1536, generator=g)
            tl = ta = 0.0
            for i in range(0, 1536, 64):
                idx = perm[i:i + 64]
                logits = model(xtr[idx])
                loss = loss_fn(logits, ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tl += loss.item() * 64
                ta += (logits.argmax(1) == ytr[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = [epoch, tl / 1536, ta / 1536, loss_fn(lv, yva).item(),
                   (lv.argmax(1) == yva).float().mean().item()]
            f.write("\t".join(str(round(v, 4)) for v in row) + "\n")
            print(row)
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "step": step, "epoch": 30},
               out / "curve_exit.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["vanishing_gradients"],
           checkpoint="curve_exit.pt", log="curve_exit.tsv",
           what="8-hidden-layer sigmoid MLP grading bobsled curve exits: gradients vanish,"
                " loss stuck at ln 3",
           complaint=("My curve-exit grader for our bobsled runs (slow / clean / fast, 16 sensor"
                      " numbers per run) doesn't learn at all. 30 epochs of SGD with momentum,"
                      " train loss goes from 1.12 to 1.086 and that's it, and val accuracy is"
                      " stuck at 0.406, which is just the biggest class. I use lr 0.1, is the"
                      " data too noisy for a net this size?"))


if __name__ == "__main__":
    main()
