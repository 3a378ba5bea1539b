"""Product-review topic classification with a DPCNN-lite (deep pyramid CNN, Johnson & Zhang) on
synthetic reviews: 48 tokens of filler words, 3–5 words of the review's topic (4 topics:
shipping, sizing, battery, screen) and 0–2 words of another topic; 4 % of the labels are wrong.
DPCNN-lite: a 32-dim embedding, a region embedding (conv 3 → 48 channels), two pre-activation
convs of width 3, then pyramid blocks (max-pool 3 stride 2 halving the length, two
pre-activation convs, shortcut) until length 1, a linear head. Adam 2e-3 with a StepLR that
halves the learning rate every 2 epochs, batch 32, 8 epochs of 1600 reviews; a CSV per epoch
with train loss, val loss and val accuracy.
Bug: ``sched.step()`` sits inside the batch loop (next to ``opt.step()``) instead of after it,
so ``step_size=2`` counts batches: the learning rate halves every 2 iterations and is 2e-3 ·
0.5^25 ≈ 6e-11 after the first epoch's 50 batches. The net moves only in its first ~10 steps
and then freezes: the loss stays near ln 4 = 1.39 (train 1.41, val 1.42, val accuracy 0.29)
for all 8 epochs (the control with the step after the epoch loop reaches val accuracy 0.91)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, LEN, TOPICS = 200, 48, 4


def reviews(n, g, noise=0.0):
    words = torch.randperm(VOCAB - 40, generator=g)[:TOPICS * 10].view(TOPICS, 10) + 40
    y = torch.randint(0, TOPICS, (n,), generator=g)
    ids = torch.randint(1, 40, (n, LEN), generator=g)
    for i in range(n):
        k = int(torch.randint(3, 6, (1,), generator=g))
        pos = torch.randperm(LEN, generator=g)[:k + 2]
        ids[i, pos[:k]] = words[y[i], torch.randint(0, 10, (k,), generator=g)]
        for j in range(int(torch.randint(0, 3, (1,), generator=g))):
            other = (y[i] + int(torch.randint(1, TOPICS, (1,), generator=g))) % TOPICS
            ids[i, pos[k + j]] = words[other, int(torch.randint(0, 10, (1,), generator=g))]
    flip = torch.rand(n, generator=g) < noise
    y = torch.where(flip, (y + torch.randint(1, TOPICS, (n,), generator=g)) % TOPICS, y)
    return ids, y


class PreActConv(nn.Module):
    def __init__(self, ch):
        super().__init__()
        self.conv = nn.Conv1d(ch, ch, 3, padding=1)

    def forward(self, x):
        return self.conv(F.relu(x))


class DPCNN(nn.Module):
    def __init__(self, ch=48):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, 32)
        self.region = nn.Conv1d(32, ch, 3, padding=1)
        self.conv_a, self.conv_b = PreActConv(ch), PreActConv(ch)
        self.blocks = nn.ModuleList([nn.Sequential(PreActConv(ch), PreActConv(ch))
                                     for _ in range(5)])
        self.head = nn.Linear(ch, TOPICS)

    def forward(self, ids):
        x = self.region(self.embed(ids).transpose(1, 2))
        x = x + self.conv_b(self.conv_a(x))
        for block in self.blocks:  # 48 → 23 → 11 → 5 → 2 → 1
            if x.shape[-1] == 1:
                break
            x = F.max_pool1d(F.pad(x, (0, 1)), 3, 2)
            x = x + block(x)
        return self.head(x.amax(-1))


def build():
    torch.manual_seed(0)
    return DPCNN()


def main():
    from _eightysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids, y = reviews(2000, g)
    noisy = torch.rand(1600, generator=g) < 0.04
    ytr = torch.where(noisy, (y[:1600] + 1) % TOPICS, y[:1600])
    xtr, xva, yva = ids[:1600], ids[1600:], y[1600:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    f = open(out / "dpcnn_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "val_loss", "val_accuracy"])
    for epoch in range(8):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(xtr), generator=g).split(32):
            loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            logits = model(xva)
            vl = F.cross_entropy(logits, yva).item()
            acc = (logits.argmax(1) == yva).float().mean().item()
        w.writerow([epoch + 1, f"{tot / len(xtr):.4f}", f"{vl:.4f}", f"{acc:.4f}"])
        print(epoch + 1, tot / len(xtr), vl, acc, opt.param_groups[0]["lr"])
    f.close()
    torch.save({"dpcnn": model.state_dict(), "adam": opt.state_dict(),
                "steplr": sched.state_dict(), "epochs": 8, "vocab_size": VOCAB},
               out / "dpcnn_topics.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["scheduler_step_per_batch"],
           checkpoint="dpcnn_topics.pt", log="dpcnn_log.csv",
           what="DPCNN-lite review topics; StepLR(step_size=2) stepped every batch",
           complaint="DPCNN on our review topics doesn't learn: the loss sits around 1.41 from "
                     "the first epoch to the last and validation accuracy is barely above "
                     "guessing among the 4 topics. The data looks fine when I print it.")


if __name__ == "__main__":
    main()
