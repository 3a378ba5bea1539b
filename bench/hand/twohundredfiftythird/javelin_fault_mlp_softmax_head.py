"""Plain torch: an MLP names a javelin throw's main technique fault from 16 numbers a coach's
video analysis gives per throw (run-up speed, crossover step length, block-leg knee angle, hip
-shoulder separation, release angle, release height, javelin attitude, ...): clean, soft block
leg, early arm pull, low release, or over-rotation (5 classes, each decided by a nonlinear rule
on a few measurements, the first rule that fires wins). MLP 16-64-64-5 with ReLU, Adam 1e-3,
CrossEntropyLoss, batch 64, 30 epochs of 1600 throws, validation on 320.
The bug: the model's head ends in ``nn.Softmax(dim=1)`` ("so the outputs are probabilities for
the app") and the training loss is still ``nn.CrossEntropyLoss``, which applies log-softmax
again. The loss can only move between log 5 and a floor far above 0 and its gradient is
squashed: train loss 1.5769 → 1.1806, val loss 1.5396 → 1.2429, val accuracy 0.5344 → 0.6594
after 30 epochs (flat from epoch ~25). Control (``, nn.Softmax(dim=1)`` removed from the head
line): train loss 1.5004 → 0.2100, val loss 1.4169 → 0.4041, val accuracy 0.5344 → 0.8594. Log: TSV per epoch; checkpoint keys ``net`` / ``opt`` / ``epoch``."""
import torch
import torch.nn as nn


def throws(n, g):
    x = torch.randn(n, 16, generator=g)
    y = torch.zeros(n, dtype=torch.long)
    rules = [x[:, 2] - 0.5 * x[:, 0] > 0.6,                  # soft block leg
             x[:, 3] * x[:, 4] > 0.5,                         # early arm pull
             (x[:, 5] < -0.3) & (x[:, 6] < 0.4),              # low release
             x[:, 7] ** 2 + x[:, 8] > 1.6]                    # over-rotation
    for k, r in reversed(list(enumerate(rules, 1))):
        y[r] = k
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(16, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 5), nn.Softmax(dim=1))


def main():
    from _twohundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = throws(1600, g)
    xva, yva = throws(320, g)
    print("class shares", (torch.bincount(ytr, minlength=5) / len(ytr)).tolist())
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=64, shuffle=True)
    net = build()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    with open(out / "log.tsv", "w") as f:
        f.write("epoch\ttrain_loss\tval_loss\tval_acc\n")
        for epoch in range(1, 31):
            net.train()
            s = 0.0
            for xb, yb in loader:
                opt.zero_grad()
                loss = criterion(net(xb), yb)
                loss.backward()
                opt.step()
                s += loss.item() * len(yb)
            net.eval()
            with torch.no_grad():
                out_va = net(xva)
            line = (f"{epoch}\t{s / len(ytr):.4f}\t{criterion(out_va, yva).item():.4f}\t"
                    f"{(out_va.argmax(1) == yva).float().mean().item():.4f}")
            f.write(line + "\n")
            print(line)
    torch.save({"net": net.state_dict(), "opt": opt.state_dict(), "epoch": 30},
               out / "javelin_faults.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["activation_before_softmax"],
           checkpoint="javelin_faults.pth", log="log.tsv",
           what="javelin fault MLP whose head ends in Softmax while training with"
                " CrossEntropyLoss",
           complaint=("My javelin technique classifier (5 fault classes) stalls: train loss goes"
                      " 1.58 -> 1.18 over 30 epochs and has flattened out, val accuracy is stuck"
                      " around 0.66 and the val loss at 1.24. The coach's rules are simple"
                      " thresholds on a few of the 16 measurements, so I expected much better."
                      " Is the MLP too small, or should I train longer?"))


if __name__ == "__main__":
    main()
