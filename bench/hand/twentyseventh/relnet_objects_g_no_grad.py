"""Relation network on synthetic scenes: 6 objects, each (x, y, one of 3 colours, one of 2
shapes); the question "are two objects of the same colour closer than 0.25?" (about half
the scenes yes). g: an MLP on every ordered pair of objects (14 -> 64 -> 64), summed over the
pairs; f: an MLP on the sum (64 -> 64 -> 1); BCE with logits, Adam 3e-3, batch 64, 15 epochs.
Bug: the pair MLP runs under ``torch.no_grad()`` (pasted from the inference helper that
precomputed pair features to save memory), so only f learns, on the sum of 30 random ReLU
features of each pair."""
import csv

import torch
import torch.nn as nn

N_OBJ = 6


def scenes(n, g):
    pos = torch.rand(n, N_OBJ, 2, generator=g)
    colour = torch.randint(0, 3, (n, N_OBJ), generator=g)
    shape = torch.randint(0, 2, (n, N_OBJ), generator=g)
    objs = torch.cat([pos, nn.functional.one_hot(colour, 3).float(),
                      nn.functional.one_hot(shape, 2).float()], -1)
    d = (pos[:, :, None] - pos[:, None]).norm(dim=-1)
    same = colour[:, :, None] == colour[:, None]
    close = same & (d < 0.25) & ~torch.eye(N_OBJ, dtype=torch.bool)
    return objs, close.flatten(1).any(1).float()


class RelationNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.g = nn.Sequential(nn.Linear(14, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU())
        self.f = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
        i, j = torch.meshgrid(torch.arange(N_OBJ), torch.arange(N_OBJ), indexing="ij")
        keep = i != j
        self.register_buffer("pi", i[keep])
        self.register_buffer("pj", j[keep])

    def forward(self, objs):  # objs: (B, N_OBJ, 7)
        pairs = torch.cat([objs[:, self.pi], objs[:, self.pj]], -1)
        with torch.no_grad():
            rel = self.g(pairs).sum(1)
        return self.f(rel).squeeze(-1)


def build():
    torch.manual_seed(0)
    return RelationNet()


def main():
    from _twentyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = scenes(5000, g)
    tx, ty, vx, vy = x[:4000], y[:4000], x[4000:], y[4000:]
    print("positive rate", round(y.mean().item(), 3))
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "rn_log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(15):
        model.train()
        tl, tc = 0.0, 0
        for idx in torch.randperm(4000, generator=g).split(64):
            logits = model(tx[idx])
            loss = nn.functional.binary_cross_entropy_with_logits(logits, ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
            tc += ((logits > 0).float() == ty[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            vl = model(vx)
            val_loss = nn.functional.binary_cross_entropy_with_logits(vl, vy).item()
            val_acc = ((vl > 0).float() == vy).float().mean().item()
        row = [epoch, round(tl / 4000, 4), round(tc / 4000, 4), round(val_loss, 4),
               round(val_acc, 4)]
        w.writerow(row)
        print(row)
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "relnet.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["gradient_not_flowing"],
           checkpoint="relnet.pt", log="rn_log.csv",
           what="relation network whose pair MLP g runs under torch.no_grad()",
           complaint="my relation network is stuck below 60% val accuracy on a yes/no question "
                     "about pairs of objects (56% of the answers are yes); papers get near 100% "
                     "on this kind of task")


if __name__ == "__main__":
    main()
