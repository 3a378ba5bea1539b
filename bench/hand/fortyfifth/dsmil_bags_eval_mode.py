"""Dual-stream multiple-instance classifier (DSMIL, Li et al.; a close variant of the earlier
sets' gated/additive attention-pooling MIL): an instance embedder (MLP 24 → 256 → 256 with
dropout 0.5), stream 1 an instance classifier whose max over the bag picks the critical
instance, stream 2 attention by similarity of every instance's query to the critical
instance's query (softmax over the bag) pooling the embeddings into a bag logit; the score is
the mean of the two streams' logits, the loss the mean of their BCEs. Synthetic bags of 16
instance feature vectors (24-d, standard normal): a positive bag holds 1–2 key instances
shifted by 4 along a hidden direction; 8 % of bag labels are flipped (pathologist
disagreement). 192 training bags, 400 validation bags; Adam 1e-3, batch 16 bags, 20 epochs.
Bug: ``model.train()`` is called once before the epoch loop and ``evaluate()`` (run after each
epoch) ends in ``model.eval()``, so from epoch 1 on the instance dropout is off while training.
The model memorises the training bags: train BCE 0.027 at epoch 19, val BCE 0.445 at epoch 7
→ 0.904, val acc 0.855 (epoch 5) → 0.788 (control, ``model.train()`` at the start of every
epoch: train BCE 0.214, val BCE 0.415 at epoch 7 → 0.480, val acc 0.832)."""
import json

import torch
import torch.nn as nn

INST, D, H = 16, 24, 256


def bags(n, g, direction):
    x = torch.randn(n, INST, D, generator=g)
    y = (torch.rand(n, generator=g) < 0.5).float()
    for i in torch.nonzero(y).flatten():
        k = int(torch.randint(1, 3, (1,), generator=g))
        x[i, :k] += 4.0 * direction
    flip = torch.rand(n, generator=g) < 0.08
    return x, torch.where(flip, 1 - y, y)


class DSMIL(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(D, H), nn.ReLU(), nn.Dropout(0.5), nn.Linear(H, H),
                                   nn.ReLU(), nn.Dropout(0.5))
        self.inst = nn.Linear(H, 1)
        self.query = nn.Linear(H, 32)
        self.bag = nn.Linear(H, 1)

    def streams(self, x):
        h = self.embed(x)  # (B, I, H)
        s = self.inst(h).squeeze(-1)  # (B, I)
        crit = s.argmax(1)
        q = self.query(h)
        qc = q[torch.arange(len(x)), crit]  # (B, 32)
        a = torch.softmax((q @ qc[:, :, None]).squeeze(-1) / 32 ** 0.5, 1)
        return s.max(1).values, self.bag((a[..., None] * h).sum(1)).squeeze(-1)

    def forward(self, x):
        s_max, s_bag = self.streams(x)
        return (s_max + s_bag) / 2


def build():
    torch.manual_seed(0)
    return DSMIL()


def evaluate(model, x, y):
    model.eval()
    with torch.no_grad():
        s_max, s_bag = model.streams(x)
        bce = nn.functional.binary_cross_entropy_with_logits
        loss = (bce(s_max, y) + bce(s_bag, y)).item() / 2
        acc = (((s_max + s_bag) > 0).float() == y).float().mean().item()
    return loss, acc


def main():
    from _fortyfifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    direction = torch.randn(D, generator=g)
    direction /= direction.norm()
    x, y = bags(192, g, direction)
    xv, yv = bags(400, g, direction)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    bce = nn.functional.binary_cross_entropy_with_logits
    step = 0
    model.train()
    with open(out / "dsmil.jsonl", "w") as log:
        for epoch in range(20):
            perm = torch.randperm(192, generator=g)
            tot = 0.0
            for i in range(0, 192, 16):
                j = perm[i:i + 16]
                s_max, s_bag = model.streams(x[j])
                loss = (bce(s_max, y[j]) + bce(s_bag, y[j])) / 2
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                tot += loss.item() / 12
                if step % 6 == 0:
                    log.write(json.dumps({"step": step, "bag_bce": round(loss.item(), 5)}) + "\n")
            vl, va = evaluate(model, xv, yv)
            log.write(json.dumps({"step": step, "epoch": epoch, "train_bce": round(tot, 5),
                                  "val_bce": round(vl, 5), "val_acc": round(va, 4)}) + "\n")
            print(epoch, f"{tot:.4f} {vl:.4f} {va:.3f}")
    torch.save({"mil_model": model.state_dict(), "optim": opt.state_dict(),
                "epochs_done": 20, "instances_per_bag": INST}, out / "dsmil.pt")
    finish(out, __file__, (x[:64], y[:64]), causes=["train_in_eval_mode"],
           checkpoint="dsmil.pt", log="dsmil.jsonl",
           what="DSMIL dual-stream MIL on bags of feature vectors, trained in eval mode after "
                "the first validation",
           complaint="Training BCE goes down to 0.03 but validation BCE doubled after epoch 7 "
                     "(0.45 → 0.90) and validation accuracy fell from 0.85 to 0.79. There is "
                     "already dropout 0.5 in the instance embedder, so why does it overfit so "
                     "badly on 192 bags?")


if __name__ == "__main__":
    main()
