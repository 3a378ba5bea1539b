"""TabTransformer for an income survey (does a household earn above the median?): five
categorical columns (education 8, occupation 12, marital status 5, region 9, sector 6) become
column tokens (value embedding + column embedding, d 16) through a 2-layer
``nn.TransformerEncoder`` (4 heads); the contextual tokens, flattened, are concatenated with
the three standardised numeric columns (age, hours per week, log capital gains) after a
LayerNorm and go through an MLP 83-64-2. Cross-entropy, AdamW 1e-3 (weight decay 0.01), batch
128, 10 epochs, ``StepLR(step_size=3, gamma=0.5)`` meant per epoch (halve every 3 epochs).
Bug: ``sched.step()`` sits inside the batch loop, right under ``opt.step()`` (63 batches an
epoch): the lr is halved every 3 batches, 1e-3 -> 5e-10 by the end of epoch 0. The log's lr
column is read from ``sched.get_last_lr()``. Val acc 0.60 at epoch 0 and then frozen, val loss
0.67 in every epoch (stepped per epoch: val acc 0.81, val loss 0.41)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

CATS = [8, 12, 5, 9, 6]
D = 16


def survey(n, g):
    gg = torch.Generator().manual_seed(7)
    cats = torch.stack([torch.randint(0, m, (n,), generator=g) for m in CATS], 1)
    eff = [torch.randn(m, generator=gg) for m in CATS]
    inter = torch.randn(8, 12, generator=gg)  # education x occupation
    age = 18 + 50 * torch.rand(n, generator=g)
    hours = (40 + 10 * torch.randn(n, generator=g)).clamp(5, 80)
    cap = torch.log1p(torch.poisson(torch.full((n,), 0.3), generator=g) * 3000)
    logit = (sum(e[cats[:, i]] for i, e in enumerate(eff)) + inter[cats[:, 0], cats[:, 1]]
             + 0.04 * (age - 40) - 0.0008 * (age - 45) ** 2 + 0.05 * (hours - 40)
             + 0.15 * cap - 0.3)
    y = torch.bernoulli(torch.sigmoid(1.5 * logit), generator=g).long()
    nums = torch.stack([age, hours, cap], 1)
    return cats, nums, y


class TabTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.offsets = torch.tensor([0] + CATS[:-1]).cumsum(0)
        self.value = nn.Embedding(sum(CATS), D)
        self.column = nn.Parameter(0.02 * torch.randn(len(CATS), D))
        layer = nn.TransformerEncoderLayer(D, 4, dim_feedforward=64, dropout=0.1,
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2)
        self.num_norm = nn.LayerNorm(3)
        self.head = nn.Sequential(nn.Linear(len(CATS) * D + 3, 64), nn.ReLU(), nn.Linear(64, 2))

    def forward(self, cats, nums):
        tok = self.encoder(self.value(cats + self.offsets) + self.column)
        return self.head(torch.cat([tok.flatten(1), self.num_norm(nums)], 1))


def build():
    torch.manual_seed(0)
    return TabTransformer()


def main():
    from _twentysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    cats, nums, y = survey(10000, g)
    nums = (nums - nums[:8000].mean(0)) / nums[:8000].std(0)
    tc, tn, ty, vc, vn, vy = cats[:8000], nums[:8000], y[:8000], cats[8000:], nums[8000:], y[8000:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=3, gamma=0.5)
    log = open(out / "income_train.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "lr", "train_loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(10):
        model.train()
        tot = hit = 0.0
        lr = sched.get_last_lr()[0]
        for idx in torch.randperm(8000, generator=g).split(128):
            logits = model(tc[idx], tn[idx])
            loss = F.cross_entropy(logits, ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
            hit += (logits.argmax(1) == ty[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            vl = model(vc, vn)
        row = [epoch, f"{lr:.3g}", round(tot / 8000, 4), round(hit / 8000, 4),
               round(F.cross_entropy(vl, vy).item(), 4),
               round((vl.argmax(1) == vy).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "scheduler": sched.state_dict(), "epoch": epoch}, out / "tabtransformer.pt")
    finish(out, __file__, {"inputs": vc[:128], "nums": vn[:128], "targets": vy[:128]},
           causes=["scheduler_step_per_batch"], checkpoint="tabtransformer.pt",
           log="income_train.csv",
           what="TabTransformer, StepLR(step_size=3) meant per epoch stepped every batch: the lr "
                "is ~0 after the first epoch",
           complaint="the TabTransformer stops learning after the first epoch: val accuracy "
                     "is 0.6635 in all 10 epochs, a gradient boosting baseline gets 0.82")


if __name__ == "__main__":
    main()
