"""Attention-based multiple-instance learning (Ilse et al. 2018) on "slides": a bag is 6-20
patch feature vectors (32-d, from a frozen extractor), positive when at least one patch is a
tumour patch (a shift along a few feature directions, partly hidden by noise). Instance MLP
32-64, gated attention pooling, linear head, BCE with logits. One bag per forward pass (bags
differ in size), gradients accumulated over 16 bags per optimizer step with the loss divided
by 16; SGD lr 0.05 momentum 0.9, 8 epochs over 800 bags; JSON-lines log per epoch with the
val bag accuracy. Healthy: val accuracy 0.78-0.83 from epoch 1 (1-3 tumour patches under
noise), the train loss noisy (one bag at a time)."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

DIM, ACCUM = 32, 16


def bags(n, g):
    tumour_dir = torch.zeros(DIM)
    tumour_dir[:4] = 1.0
    out, labels = [], []
    for _ in range(n):
        size = int(torch.randint(6, 21, (1,), generator=g))
        x = torch.randn(size, DIM, generator=g)
        y = float(torch.rand(1, generator=g) < 0.5)
        if y:
            k = int(torch.randint(1, 4, (1,), generator=g))
            x[:k] += 1.2 * tumour_dir
        out.append(x)
        labels.append(y)
    return out, torch.tensor(labels)


class AttentionMIL(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Sequential(nn.Linear(DIM, 64), nn.ReLU())
        self.att_v = nn.Linear(64, 32)
        self.att_u = nn.Linear(64, 32)
        self.att_w = nn.Linear(32, 1)
        self.head = nn.Linear(64, 1)

    def forward(self, bag):
        h = self.embed(bag)
        a = self.att_w(torch.tanh(self.att_v(h)) * torch.sigmoid(self.att_u(h)))
        a = torch.softmax(a, 0)
        return self.head((a * h).sum(0))


def build():
    torch.manual_seed(0)
    return AttentionMIL()


def main():
    from _fourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xs, ys = bags(1000, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    log = open(out / "mil_log.jsonl", "w")
    step = 0
    for epoch in range(8):
        model.train()
        tot = 0.0
        opt.zero_grad()
        for i, j in enumerate(torch.randperm(800, generator=g).tolist()):
            loss = F.binary_cross_entropy_with_logits(model(xs[j]), ys[j:j + 1])
            (loss / ACCUM).backward()
            tot += loss.item()
            if (i + 1) % ACCUM == 0:
                opt.step()
                opt.zero_grad()
                step += 1
        model.eval()
        with torch.no_grad():
            logits = torch.cat([model(xs[k]) for k in range(800, 1000)])
            vl = F.binary_cross_entropy_with_logits(logits, ys[800:]).item()
            va = ((logits > 0).float() == ys[800:]).float().mean().item()
        rec = {"epoch": epoch, "step": step, "bag_loss": round(tot / 800, 4),
               "val_bag_loss": round(vl, 4), "val_bag_acc": round(va, 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(),
                "accum_steps": ACCUM, "epoch": epoch}, out / "mil.pt")
    finish(out, __file__, (xs[800], ys[800:801]), causes=[],
           checkpoint="mil.pt", log="mil_log.jsonl",
           what="attention MIL, one bag per pass, loss / 16 over 16 accumulated bags (healthy)")


if __name__ == "__main__":
    main()
