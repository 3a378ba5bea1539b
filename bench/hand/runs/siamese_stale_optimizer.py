"""Siamese network with a contrastive loss on pairs of feature vectors. The notebook cell that
builds the model was run again after the optimizer cell, so the optimizer holds the first
model's parameters and the model being trained never changes."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F


class Siamese(nn.Module):
    def __init__(self, d_in=32, d_emb=16):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(d_in, 64), nn.ReLU(), nn.Linear(64, d_emb))

    def forward(self, pair):  # pair: (B, 2, d_in) -> distance between the two embeddings
        a, b = self.encoder(pair[:, 0]), self.encoder(pair[:, 1])
        return F.pairwise_distance(a, b)


def build():
    torch.manual_seed(0)
    return Siamese()


def contrastive(dist, same, margin=2.0):
    return (same * dist.pow(2) + (1 - same) * F.relu(margin - dist).pow(2)).mean()


def make_pairs(n, protos, g):
    c1 = torch.randint(0, len(protos), (n,), generator=g)
    same = (torch.rand(n, generator=g) < 0.5).float()
    c2 = torch.where(same.bool(), c1, (c1 + torch.randint(1, len(protos), (n,), generator=g))
                     % len(protos))
    noise = torch.randn(n, 2, protos.shape[1], generator=g)
    return torch.stack([protos[c1], protos[c2]], 1) + 0.7 * noise, same


def main():
    from _hand import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    protos = torch.randn(10, 32, generator=g)
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model = build()  # cell re-run: a new model, the optimizer still points at the old one
    val_x, val_y = make_pairs(512, protos, g)
    with open(out / "log.jsonl", "w") as f:
        for step in range(400):
            x, same = make_pairs(64, protos, g)
            loss = contrastive(model(x), same)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            if step % 20 == 19:
                with torch.no_grad():
                    d = model(val_x)
                    vl = contrastive(d, val_y).item()
                    acc = ((d < 1.0).float() == val_y).float().mean().item()
                f.write(json.dumps({"step": step, "loss": loss.item(), "val_loss": vl,
                                    "val_acc": acc}) + "\n")
    print("val loss", vl, "pair acc", acc)
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()},
               out / "siamese.pt")
    finish(out, __file__, (val_x[:64], val_y[:64]), causes=["params_not_in_optimizer"],
           checkpoint="siamese.pt", log="log.jsonl",
           what="optimizer built on a first model, then the model was rebuilt",
           complaint="the contrastive loss does not go down at all, it just wiggles")


if __name__ == "__main__":
    main()
