"""Character-level GRU language model on a small repetitive text (healthy)."""
import csv
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

TEXT = ("the quick brown fox jumps over the lazy dog. "
        "a stitch in time saves nine. all that glitters is not gold. ") * 40
VOCAB = sorted(set(TEXT))
SEQ = 32


class CharRNN(nn.Module):
    def __init__(self, vocab_size, emb=32, hidden=96):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, emb)
        self.rnn = nn.GRU(emb, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab_size)

    def forward(self, x):
        h, _ = self.rnn(self.embed(x))
        return self.out(h[:, -1])  # predict the next char after the window


def build():
    torch.manual_seed(0)
    return CharRNN(len(VOCAB))


def windows(ids, n):
    starts = torch.randint(0, len(ids) - SEQ - 1, (n,))
    x = torch.stack([ids[s:s + SEQ] for s in starts])
    y = ids[starts + SEQ]
    return x, y


def main():
    from _hand import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    ids = torch.tensor([VOCAB.index(c) for c in TEXT])
    split = int(0.9 * len(ids))
    train_ids, val_ids = ids[:split], ids[split - SEQ:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "train_log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["step", "train_loss", "val_loss", "val_acc", "lr"])
    for step in range(300):
        model.train()
        x, y = windows(train_ids, 64)
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 10 == 0 or step == 299:
            model.eval()
            with torch.no_grad():
                vx, vy = windows(val_ids, 256)
                logits = model(vx)
                vl = F.cross_entropy(logits, vy).item()
                va = (logits.argmax(1) == vy).float().mean().item()
            w.writerow([step, loss.item(), vl, va, 3e-3])
    log.close()
    print(f"val loss {vl:.3f} (uniform {math.log(len(VOCAB)):.3f}), val acc {va:.3f}")
    torch.save({"model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "step": 300}, out / "ckpt.pt")
    finish(out, __file__, windows(val_ids, 64), causes=[], checkpoint="ckpt.pt",
           log="train_log.csv", what="GRU char LM, Adam 3e-3, clipping: healthy")


if __name__ == "__main__":
    main()
