"""Lottery-ticket experiment on synthetic tabular data: 24 features (12 informative through a
random two-layer map, 12 noise), 6 classes, 5 % of the labels flipped. MLP 24 → 128 → 128 → 6
(ReLU); round 1 trains the dense net (Adam 2e-3, batch 64, 6 epochs), the 80 % smallest weights
of each hidden and output matrix are pruned with a fixed mask, the survivors are rewound to
their initial values and round 2 retrains the masked net for 6 epochs (mask re-applied after
every step). Checkpoint: the ticket, its masks, the optimizer; the log (CSV) holds the
round, epoch, train loss every 25 steps and the val loss and accuracy per epoch.
Bug: the rewind builds a fresh net (``model = build(); model.load_state_dict(theta0)``) but
round 2 keeps the optimizer built over the round-1 net's parameters: the ticket is never
updated, round 2 sits at the rewound weights' loss."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

FEAT, CLASSES, SPARSITY = 24, 6, 0.8


def table(n, g):
    w1, w2 = torch.randn(12, 32, generator=g), torch.randn(32, CLASSES, generator=g)
    x = torch.randn(n, FEAT, generator=g)
    y = (torch.tanh(x[:, :12] @ w1) @ w2).argmax(1)
    flip = torch.rand(n, generator=g) < 0.05
    y = torch.where(flip, torch.randint(0, CLASSES, (n,), generator=g), y)
    return x, y


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(FEAT, 128), nn.Linear(128, 128)
        self.fc3 = nn.Linear(128, CLASSES)

    def forward(self, x):
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


def build():
    torch.manual_seed(0)
    return MLP()


def apply(model, masks):
    with torch.no_grad():
        for name, m in masks.items():
            getattr(model, name).weight.mul_(m)


def main():
    from _fiftyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = table(4000, g)
    tx, ty, vx, vy = x[:3200], y[:3200], x[3200:], y[3200:]
    model = build()
    theta0 = {k: v.clone() for k, v in model.state_dict().items()}
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    masks = None
    f = open(out / "ticket_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["round", "epoch", "step", "train_loss", "val_loss", "val_acc"])
    step = 0
    for rnd in (1, 2):
        if rnd == 2:
            masks = {}
            for name in ("fc1", "fc2", "fc3"):
                wt = getattr(model, name).weight.detach().abs()
                cut = wt.flatten().kthvalue(int(SPARSITY * wt.numel())).values
                masks[name] = (wt > cut).float()
            model = build()
            model.load_state_dict(theta0)
            apply(model, masks)
        for epoch in range(6):
            model.train()
            for idx in torch.randperm(3200, generator=g).split(64):
                loss = F.cross_entropy(model(tx[idx]), ty[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                if masks:
                    apply(model, masks)
                step += 1
                if step % 25 == 0:
                    w.writerow([rnd, epoch, step, round(loss.item(), 4), "", ""])
            model.eval()
            with torch.no_grad():
                logits = model(vx)
                vl = F.cross_entropy(logits, vy).item()
                acc = (logits.argmax(1) == vy).float().mean().item()
            w.writerow([rnd, epoch, step, "", round(vl, 4), round(acc, 4)])
            print(rnd, epoch, round(loss.item(), 4), round(vl, 4), round(acc, 4))
    f.close()
    torch.save({"ticket": model.state_dict(), "masks": masks, "optim": opt.state_dict(),
                "round": rnd, "iteration": step}, out / "ticket.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["params_not_in_optimizer"],
           checkpoint="ticket.pt", log="ticket_log.csv",
           what="lottery ticket MLP, 80 % pruned and rewound, round 2 with the round-1 optimizer",
           complaint="the dense net gets to about 65 % val accuracy, but after pruning and "
                     "rewinding the "
                     "winning ticket does not learn at all, its loss just sits there for 6 "
                     "epochs")


if __name__ == "__main__":
    main()
