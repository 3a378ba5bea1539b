"""Bike-rental demand class (low / medium / high / peak) from a tabular export: 4 categorical
columns (station, weekday, hour band, weather) through entity embeddings and 6 numeric
columns (temperature, humidity, wind, ... standardised), MLP 128-128 with BatchNorm and
dropout 0.3, ``forward(cats, nums)``, AdamW 1e-3 (weight decay 1e-4), batch 64, 25 epochs,
2500 / 800 rows, JSON-lines log. The author evaluates once before training to log the
untrained baseline.
Bug: ``evaluate()`` calls ``model.eval()`` and the loop never calls ``model.train()``: the
whole run trains in eval mode, so dropout never drops and BatchNorm normalises with its
initial running statistics (mean 0, var 1) that are never updated. Train loss 0.21 and train
acc 0.92 at the end while the val loss rises from 0.572 (epoch 14) to 0.670 and the val acc
stays at 0.74; control (``model.train()`` at the top of each epoch): train acc 0.78, val
loss 0.561 and still falling, val acc 0.73-0.75."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

CARD = (40, 7, 6, 4)  # station, weekday, hour band, weather


def rentals(n, g):
    cats = torch.stack([torch.randint(0, k, (n,), generator=g) for k in CARD], 1)
    nums = torch.randn(n, 6, generator=g)
    effects = [torch.randn(k, generator=g) for k in CARD]
    z = sum(e[cats[:, i]] for i, e in enumerate(effects))
    z = z + 0.8 * nums[:, 0] - 0.5 * nums[:, 1] + 0.6 * torch.randn(n, generator=g)
    cuts = z.quantile(torch.tensor([0.3, 0.6, 0.85]))
    return cats, nums, torch.bucketize(z, cuts)


class RentalNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.embs = nn.ModuleList(nn.Embedding(k, 8) for k in CARD)
        self.mlp = nn.Sequential(nn.Linear(8 * len(CARD) + 6, 128), nn.BatchNorm1d(128),
                                 nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 128),
                                 nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.3),
                                 nn.Linear(128, 4))

    def forward(self, cats, nums):
        e = [emb(cats[:, i]) for i, emb in enumerate(self.embs)]
        return self.mlp(torch.cat(e + [nums], 1))


def build():
    torch.manual_seed(0)
    return RentalNet()


def evaluate(model, cats, nums, y):
    model.eval()
    with torch.no_grad():
        logits = model(cats, nums)
    return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def main():
    from _sixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    cats, nums, y = rentals(3300, g)
    tc, tn, ty = cats[:2500], nums[:2500], y[:2500]
    vc, vn, vy = cats[2500:], nums[2500:], y[2500:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    log = open(out / "train_log.jsonl", "w")
    base_loss, base_acc = evaluate(model, vc, vn, vy)
    print({"baseline_val_loss": base_loss, "baseline_val_acc": base_acc})
    for epoch in range(25):
        total, correct = 0.0, 0
        for idx in torch.randperm(2500, generator=g).split(64):
            logits = model(tc[idx], tn[idx])
            loss = F.cross_entropy(logits, ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            correct += (logits.argmax(1) == ty[idx]).sum().item()
        val_loss, val_acc = evaluate(model, vc, vn, vy)
        rec = {"epoch": epoch, "train_loss": round(total / 2500, 4),
               "train_acc": round(correct / 2500, 4), "val_loss": round(val_loss, 4),
               "val_acc": round(val_acc, 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch},
               out / "rentals_mlp.pt")
    finish(out, __file__, {"inputs": vc[:128], "nums": vn[:128], "targets": vy[:128]},
           causes=["train_in_eval_mode"], checkpoint="rentals_mlp.pt", log="train_log.jsonl",
           what="tabular entity-embedding MLP trained in eval mode (model.train() never called)",
           complaint="租车需求分类：训练准确率 0.92，验证准确率只有 0.74，而且验证损失从第 14 个 "
                     "epoch 起一直上升，可是我已经加了 dropout 0.3 和 BatchNorm")


if __name__ == "__main__":
    main()
