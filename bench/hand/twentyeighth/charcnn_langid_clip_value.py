"""Character CNN for language identification: 5 synthetic "languages" over the same 26
letters and a space, each a character bigram chain with its own transition table (shared
letters, different habits), 48-character snippets. Embedding 24, two conv branches (kernel 3
and 5, 64 channels each), global max pool, dropout 0.2, linear head. SGD lr 0.1 momentum 0.9,
batch 64, 8 epochs, cross-entropy; the log is JSON lines (train loss every 10 steps, val loss
and accuracy per epoch).
Bug: the clipping line was copied as ``clip_grad_value_(model.parameters(), 1e-4)`` (the
author meant a norm of 1.0): every gradient entry is clamped to ±1e-4, so each SGD step is a
few thousand times smaller than lr 0.1 gives."""
import json

import torch
import torch.nn as nn

VOCAB, LEN, LANGS = 27, 48, 5
CLIP = 1e-4


def snippets(n, g):
    base = torch.rand(VOCAB, VOCAB, generator=g)
    tables = [torch.softmax(torch.log(base) + 1.2 * torch.randn(VOCAB, VOCAB, generator=g), 1)
              for _ in range(LANGS)]
    y = torch.randint(0, LANGS, (n,), generator=g)
    x = torch.zeros(n, LEN, dtype=torch.long)
    x[:, 0] = torch.randint(0, VOCAB, (n,), generator=g)
    for t in range(1, LEN):
        probs = torch.stack([tables[int(c)][int(p)] for c, p in zip(y, x[:, t - 1], strict=True)])
        x[:, t] = torch.multinomial(probs, 1, generator=g).squeeze(1)
    return x, y


class CharCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 24)
        self.c3 = nn.Conv1d(24, 64, 3, padding=1)
        self.c5 = nn.Conv1d(24, 64, 5, padding=2)
        self.drop = nn.Dropout(0.2)
        self.out = nn.Linear(128, LANGS)

    def forward(self, x):
        e = self.emb(x).transpose(1, 2)
        h = torch.cat([torch.relu(self.c3(e)).amax(2), torch.relu(self.c5(e)).amax(2)], 1)
        return self.out(self.drop(h))


def build():
    torch.manual_seed(0)
    return CharCNN()


def main():
    from _twentyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = snippets(3000, g)
    tx, ty, vx, vy = x[:2500], y[:2500], x[2500:], y[2500:]
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    lossf = nn.CrossEntropyLoss()
    log = open(out / "train_log.jsonl", "w")
    step = 0
    for epoch in range(8):
        model.train()
        for idx in torch.randperm(2500, generator=g).split(64):
            loss = lossf(model(tx[idx]), ty[idx])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_value_(model.parameters(), CLIP)
            opt.step()
            step += 1
            if step % 10 == 0:
                log.write(json.dumps({"step": step, "epoch": epoch,
                                      "train_loss": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            logits = model(vx)
            vl = lossf(logits, vy).item()
            acc = (logits.argmax(1) == vy).float().mean().item()
        log.write(json.dumps({"step": step, "epoch": epoch, "val_loss": round(vl, 4),
                              "val_acc": round(acc, 4)}) + "\n")
        print(epoch, round(loss.item(), 4), round(vl, 4), round(acc, 4))
    log.close()
    torch.save({"model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "epoch": epoch, "step": step}, out / "charcnn_langid.pt")
    finish(out, __file__, (vx[:64], vy[:64]), causes=["lr_too_low"],
           checkpoint="charcnn_langid.pt", log="train_log.jsonl",
           what="char CNN language ID, SGD 0.1 momentum 0.9, clip_grad_value_(1e-4)",
           complaint="the language-ID CNN learns incredibly slowly, after 8 epochs the val "
                     "accuracy is still far from what a bigram baseline gets")


if __name__ == "__main__":
    main()
