"""LoRA fine-tuning of a small transformer. A 2-block transformer encoder (d 32, one head,
mean-pooled) is first pre-trained here on task A (which of four token groups is the most
frequent in a 12-token sequence, 3000 sequences); then it is frozen and low-rank adapters
(r 4, alpha 16, so the update is scaled by 4) are put on the query, value and first
feed-forward projections of both blocks, with a new head for task B (are there more tokens
of group 1 than of group 2?, 600 labelled sequences). Only the adapters and the head train:
AdamW 5e-3, batch 32, 12 epochs. Bug: the adapter's B matrix is initialised with
``torch.randn`` like A (the LoRA paper sets B = 0, so that the adapted model starts as the
pre-trained one): with the scale 4 the first update is larger than the frozen weights
themselves and wipes out much of the pre-trained features. Val loss 0.43 -> 0.22 at epoch 7
then 0.28, val acc 0.80 -> 0.90-0.92, train loss 0.08 (B = 0: val loss 0.10 after one epoch,
0.0008 at the end, val acc 1.00 from epoch 5)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, LEN, D, R, ALPHA = 20, 12, 32, 4, 16


def sequences(n, g):
    x = torch.randint(0, VOCAB, (n, LEN), generator=g)
    counts = torch.stack([((x // 5) == k).sum(1) for k in range(4)], 1)
    task_a = (counts + 0.1 * torch.rand(n, 4, generator=g)).argmax(1)
    task_b = (counts[:, 1] > counts[:, 2]).long()
    return x, task_a, task_b


class LoRALinear(nn.Module):
    def __init__(self, base):
        super().__init__()
        self.base = base
        self.A = nn.Parameter(torch.randn(R, base.in_features) / base.in_features ** 0.5)
        self.B = nn.Parameter(torch.randn(base.out_features, R) / R ** 0.5)
        self.scale = ALPHA / R

    def forward(self, x):
        return self.base(x) + self.scale * (x @ self.A.t() @ self.B.t())


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v, self.o = (nn.Linear(D, D) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(D), nn.LayerNorm(D)
        self.ff1, self.ff2 = nn.Linear(D, 2 * D), nn.Linear(2 * D, D)

    def forward(self, x):
        h = self.ln1(x)
        att = torch.softmax(self.q(h) @ self.k(h).transpose(1, 2) / D ** 0.5, -1)
        x = x + self.o(att @ self.v(h))
        return x + self.ff2(F.gelu(self.ff1(self.ln2(x))))


class TinyEncoder(nn.Module):
    def __init__(self, n_out):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, D)
        self.pos = nn.Parameter(torch.randn(LEN, D) * 0.02)
        self.blocks = nn.ModuleList([Block(), Block()])
        self.head = nn.Linear(D, n_out)

    def forward(self, x):
        h = self.emb(x) + self.pos
        for b in self.blocks:
            h = b(h)
        return self.head(h.mean(1))


def add_lora(model):
    for p in model.parameters():
        p.requires_grad_(False)
    for b in model.blocks:
        b.q, b.v, b.ff1 = LoRALinear(b.q), LoRALinear(b.v), LoRALinear(b.ff1)
    model.head = nn.Linear(D, 2)
    return model


def build():
    torch.manual_seed(0)
    return add_lora(TinyEncoder(4))


def main():
    from _twentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    torch.manual_seed(0)
    base = TinyEncoder(4)
    xa, ya, _ = sequences(3000, g)
    opt = torch.optim.AdamW(base.parameters(), lr=3e-3)
    for _ in range(6):
        for idx in torch.randperm(3000, generator=g).split(64):
            loss = F.cross_entropy(base(xa[idx]), ya[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    print("pretrained, task A loss", round(loss.item(), 4))

    x, _, y = sequences(1000, g)
    tx, ty, vx, vy = x[:600], y[:600], x[600:], y[600:]
    model = add_lora(base)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=5e-3)
    log = open(out / "lora_finetune.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "step", "train_loss", "val_loss", "val_acc"])
    step = 0
    for epoch in range(12):
        model.train()
        tot = 0.0
        for idx in torch.randperm(600, generator=g).split(32):
            loss = F.cross_entropy(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(vx)
        row = [epoch, step, round(tot / 600, 4), round(F.cross_entropy(logits, vy).item(), 4),
               round((logits.argmax(1) == vy).float().mean().item(), 4)]
        w.writerow(row)
        print(row)
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch,
                "lora": {"r": R, "alpha": ALPHA}}, out / "lora_task_b.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["bad_weight_init"],
           checkpoint="lora_task_b.pt", log="lora_finetune.csv",
           what="LoRA adapters whose B matrix is initialised random (not zero) with scale "
                "alpha/r = 4: the adapted model starts far from the pre-trained one",
           complaint="LoRA 微调效果不好：验证准确率卡在 0.9 左右，验证损失 0.22 之后又升到 0.28，"
                     "这个任务和预训练任务很接近，本来应该很容易")


if __name__ == "__main__":
    main()
