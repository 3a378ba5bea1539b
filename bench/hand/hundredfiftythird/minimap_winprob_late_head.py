"""Esports: predicts which side wins a MOBA team fight from a 10×10 minimap occupancy grid of
the five players per side (two channels) plus a gold-lead feature; a shared encoder, then a
"fight" head added in a later refactor. Synthetic: the side with more players near the
objective corner and more gold wins (with 10 % upsets). Adam 3e-3, batch 64, 15 epochs.
Bug: the notebook builds the encoder, creates ``opt = Adam(model.parameters())``, and only
then attaches the new output head ``model.head = nn.Linear(32, 2)`` (weight zero-initialised,
as the paper suggests for a new classifier); the head is never in the optimizer, keeps its
init, so the logits are only its random bias, no gradient reaches the encoder through a zero
weight, and the loss sits at ~ln 2."""
import torch
import torch.nn as nn

G = 10


class MinimapNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(nn.Conv2d(2, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Flatten(), nn.Linear(8 * 25, 32), nn.ReLU())
        self.gold = nn.Linear(1, 32)
        self.head = nn.Linear(32, 1)  # old single-logit head

    def forward(self, grid, gold=None):
        if gold is None:
            grid, gold = grid[:, :2], grid[:, 2, 0, :1]
        return self.head(torch.relu(self.enc(grid) + self.gold(gold)))


def fights(n, g):
    pos = torch.randint(0, G, (n, 2, 5, 2), generator=g)
    grid = torch.zeros(n, 2, G, G)
    for s in range(2):
        for p in range(5):
            grid[torch.arange(n), s, pos[:, s, p, 0], pos[:, s, p, 1]] += 1
    near = (pos.float() - 8).pow(2).sum(-1).sqrt().lt(4).float().sum(-1)  # players near objective
    gold = torch.randn(n, generator=g)
    score = (near[:, 0] - near[:, 1]) + 1.2 * gold
    y = (score > 0).long()
    y = torch.where(torch.rand(n, generator=g) < 0.1, 1 - y, y)
    x = torch.cat([grid, gold[:, None, None, None].expand(n, 1, G, G)], 1)
    return x, y


def build():
    torch.manual_seed(0)
    model = MinimapNet()
    model.head = nn.Linear(32, 2)  # two-way "fight" head
    nn.init.zeros_(model.head.weight)
    return model


def main():
    from _hundredfiftythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = fights(3072, g)
    xva, yva = fights(768, g)
    torch.manual_seed(0)
    model = MinimapNet()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.head = nn.Linear(32, 2)  # new two-way fight head
    nn.init.zeros_(model.head.weight)  # zero-init the new classifier, as in the paper
    crit = nn.CrossEntropyLoss()
    lines = ["epoch\ttrain_loss\ttrain_acc\tval_loss\tval_acc"]
    for ep in range(1, 16):
        model.train()
        perm = torch.randperm(len(xtr), generator=g)
        tl = tc = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            lo = model(xtr[idx])
            loss = crit(lo, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
            tc += (lo.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
            vl, va = crit(lo, yva).item(), (lo.argmax(1) == yva).float().mean().item()
        lines.append(f"{ep}\t{tl / len(xtr):.4f}\t{tc / len(xtr):.4f}\t{vl:.4f}\t{va:.4f}")
        print(lines[-1])
    (out / "fights.tsv").write_text("\n".join(lines) + "\n")
    torch.save({"net": model.state_dict(), "opt_state": opt.state_dict(), "epochs": 15},
               out / "minimap_winprob.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["params_not_in_optimizer"],
           checkpoint="minimap_winprob.pt", log="fights.tsv",
           what="minimap team-fight win predictor, new head attached after the optimizer",
           complaint="Team-fight win predictor from the minimap does not learn at all: train loss "
                     "0.6930 in every one of 15 epochs, val accuracy 0.486, a coin flip, and "
                     "every epoch prints exactly the same numbers.")


if __name__ == "__main__":
    main()
