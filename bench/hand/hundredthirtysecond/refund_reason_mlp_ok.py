"""E-commerce returns: predict the refund reason (4 classes: damaged, wrong item, no longer
wanted, late delivery) from 12 standardised features of a return request (days since delivery,
price, carrier delay, photo attached, item category one-hot, customer return rate, ...),
synthetic, with 10 % of the labels wrong (agents pick a reason in a hurry). An MLP 12 → 64 → 64
→ 4 with dropout 0.3, Adam 1e-3, batch 64, 15 epochs of 3000 returns; a JSON-lines log per epoch.
Healthy; val loss sits far below train loss (dropout and the noisy labels live in training
only): val accuracy 0.977 after epoch 0 and 0.987 at the end, val loss 0.39 → 0.125, train loss
1.00 → 0.42 (the 10 % wrong labels keep it there)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

REASONS = ["damaged", "wrong_item", "unwanted", "late"]


def returns(n, g, noise=0.0):
    y = torch.randint(0, 4, (n,), generator=g)
    proto = torch.randn(4, 12, generator=torch.Generator().manual_seed(7)) * 1.2
    x = proto[y] + torch.randn(n, 12, generator=g)
    wrong = torch.rand(n, generator=g) < noise
    y = torch.where(wrong, torch.randint(0, 4, (n,), generator=g), y)
    return x, y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 64),
                         nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 4))


def main():
    from _hundredthirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = returns(3000, g, noise=0.10)
    xva, yva = returns(600, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    log = open(out / "refund_log.jsonl", "w")
    for ep in range(15):
        model.train()
        perm = torch.randperm(3000, generator=g)
        tot = 0.0
        for i in range(0, 3000, 64):
            idx = perm[i:i + 64]
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        rec = {"ep": ep, "loss": round(tot / 3000, 4), "val_loss": round(F.cross_entropy(lo, yva).item(), 4),
               "val_acc": round((lo.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": 15, "reasons": REASONS}, out / "refund_mlp.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=[], checkpoint="refund_mlp.pt",
           log="refund_log.jsonl",
           what="refund-reason MLP on return requests, 10 % noisy labels, dropout (healthy)")


if __name__ == "__main__":
    main()
