"""An LSTM sequence-to-one classifier for product reviews (token ids, vocabulary 120, 24
tokens; 3 classes negative / neutral / positive from how many positive and negative cue words a
review holds, with "not" flipping the next cue), embedding 32, one LSTM layer of 64, the last
hidden state into a linear head; Adam 5e-3 with a linear warm-up meant to last 2 epochs
(LambdaLR per step), batch 32, 8 epochs, gradient clipping at 1.0. Bug: the warm-up is "2
epochs" computed as ``warmup_epochs * len(train_dataset)`` = 4800 -- samples, not the 75
optimizer steps of an epoch -- so after 600 steps the lr has reached only an eighth of its
peak: lr 6.3e-4 at the end, train loss 1.11 -> 0.95, val accuracy 0.49 (100-step warm-up:
0.93)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, LEN, POS, NEG, NOT = 120, 24, range(10, 20), range(20, 30), 5


def reviews(n, g):
    x = torch.randint(30, VOCAB, (n, LEN), generator=g)
    score = torch.zeros(n)
    for i in range(n):
        k = int(torch.randint(1, 4, (1,), generator=g))
        where = torch.randperm(LEN - 1, generator=g)[:k] + 1
        for p in where.tolist():
            pos = bool(torch.rand(1, generator=g) < 0.5)
            x[i, p] = int(torch.randint(POS.start, POS.stop, (1,), generator=g)) if pos else \
                int(torch.randint(NEG.start, NEG.stop, (1,), generator=g))
            sign = 1 if pos else -1
            if torch.rand(1, generator=g) < 0.25 and x[i, p - 1] >= 30:
                x[i, p - 1] = NOT
                sign = -sign
            score[i] += sign
    y = torch.where(score > 0, 2, torch.where(score < 0, 0, 1))
    return x, y


class ReviewLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, 32)
        self.lstm = nn.LSTM(32, 64, batch_first=True)
        self.fc = nn.Linear(64, 3)

    def forward(self, tokens):
        _, (h, _) = self.lstm(self.embedding(tokens))
        return self.fc(h[-1])


def build():
    torch.manual_seed(0)
    return ReviewLSTM()


def main():
    from _tenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = reviews(2400, g)
    vx, vy = reviews(600, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    epochs, warmup_epochs = 8, 2
    warmup_steps = warmup_epochs * len(x)  # BUG: samples, not optimizer steps (75 / epoch)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warmup_steps))
    f = open(out / "train_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "step", "lr", "loss", "val_loss", "val_accuracy"])
    step = 0
    for epoch in range(epochs):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(x), generator=g).split(32):
            loss = F.cross_entropy(model(x[idx]), y[idx])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vo = model(vx)
            vl = F.cross_entropy(vo, vy).item()
            va = (vo.argmax(1) == vy).float().mean().item()
        w.writerow([epoch, step, opt.param_groups[0]["lr"], tot / len(x), vl, va])
        print(epoch, step, opt.param_groups[0]["lr"], round(tot / len(x), 4), round(vl, 4),
              round(va, 3))
    f.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(),
                "lr_scheduler": sched.state_dict(), "epoch": epoch}, out / "lstm_reviews.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["lr_too_low"],
           checkpoint="lstm_reviews.pt", log="train_log.csv",
           what="LSTM review classifier, linear warm-up over 4800 steps of a 600-step run",
           complaint="review sentiment LSTM, 3 classes: after 8 epochs the training loss only went "
                     "from 1.11 to 0.95 and val accuracy is 0.49")


if __name__ == "__main__":
    main()
