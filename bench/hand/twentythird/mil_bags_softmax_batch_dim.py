"""Attention-based multiple-instance learning (Ilse et al. 2018) on synthetic "slides": a bag
is 16 patch descriptors (8 features each); a bag is positive when at least one patch is a
tumour patch (shifted in features 0-2, and only partly: some tumour patches are hard to tell
from normal ones). Per-patch MLP 8-32-32, attention pooling
``softmax(w^T tanh(V h))`` over the patches of each bag, a linear bag classifier, BCE with
logits, Adam 1e-3 with weight decay 1e-4, batch 32 bags, 15 epochs; ~5 % of the bag labels
are wrong (a pathologist's slip). Bug: the attention scores are (bags, patches) and the
softmax is taken over ``dim=0``, the bags of the batch, not over the patches of each bag: a
bag's pooled vector depends on the other bags in its batch (32 in training, 400 at
validation). Train loss 0.37, val loss 0.62-0.65 from epoch 3, val acc 0.70 (softmax over the
patches: train 0.32, val 0.36, val acc 0.87); the val AUC is 0.91 in both, the ranking inside
one batch survives."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

N_INST, FEAT = 16, 8


def bags(n, g):
    x = torch.randn(n, N_INST, FEAT, generator=g)
    y = (torch.rand(n, generator=g) < 0.5).float()
    for i in torch.nonzero(y).flatten():
        k = int(torch.randint(1, 4, (1,), generator=g))
        where = torch.randperm(N_INST, generator=g)[:k]
        x[i, where, :3] += 1.2 + torch.rand(k, 1, generator=g) * 1.5
    flip = torch.rand(n, generator=g) < 0.05
    y[flip] = 1 - y[flip]
    return x, y


class AttentionMIL(nn.Module):
    def __init__(self):
        super().__init__()
        self.inst = nn.Sequential(nn.Linear(FEAT, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU())
        self.V = nn.Linear(32, 16)
        self.w = nn.Linear(16, 1)
        self.cls = nn.Linear(32, 1)

    def forward(self, x):
        h = self.inst(x)                               # (bags, patches, 32)
        scores = self.w(torch.tanh(self.V(h))).squeeze(-1)
        a = torch.softmax(scores, dim=1)               # over the patches of a bag
        z = (a.unsqueeze(-1) * h).sum(1)
        return self.cls(z).squeeze(-1)


def auc(scores, y):
    pos, neg = scores[y == 1], scores[y == 0]
    return (pos[:, None] > neg[None]).float().mean().item()


def build():
    torch.manual_seed(0)
    return AttentionMIL()


def main():
    from _twentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = bags(1600, g)
    tx, ty, vx, vy = x[:1200], y[:1200], x[1200:], y[1200:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    log = open(out / "mil_log.jsonl", "w")
    for epoch in range(15):
        model.train()
        tot = 0.0
        for idx in torch.randperm(1200, generator=g).split(32):
            loss = F.binary_cross_entropy_with_logits(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            s = model(vx)
            vl = F.binary_cross_entropy_with_logits(s, vy).item()
        rec = {"epoch": epoch, "train_loss": round(tot / 1200, 4), "val_loss": round(vl, 4),
               "val_auc": round(auc(s, vy), 4),
               "val_acc": round(((s > 0).float() == vy).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "epoch": epoch},
               out / "mil_attention.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["softmax_wrong_dim"],
           checkpoint="mil_attention.pt", log="mil_log.jsonl",
           what="attention-MIL whose attention softmax runs over the bags of the batch "
                "(dim=0) instead of the patches of a bag",
           complaint="MIL slide classifier: train loss gets to 0.37 but val loss stays at 0.62 "
                     "and val accuracy is 0.70, while val AUC is 0.91. Why is validation so "
                     "much worse?")


if __name__ == "__main__":
    main()
