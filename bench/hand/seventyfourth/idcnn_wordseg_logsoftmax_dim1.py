"""Word segmentation of unspaced text (as for Chinese or Thai) with an iterated dilated CNN
(ID-CNN, Strubell et al. 2017) tagging each character B / M / E / S (begin, middle, end of a
word, single-character word). Synthetic language: 50 characters, a lexicon of 300 words of 1–4
characters (Zipf-like frequencies), sentences of 12 characters made by concatenating words (the
last one cut). Net: a 48-dim character embedding, a block of 3 dilated convs (width 3, dilation
1, 2, 4, ReLU) applied twice with shared weights, dropout 0.1, a 1×1 conv to 4 tag logits.
Adam 3e-3, batch 32, 8 epochs of 2600 sentences; a JSON-lines log per epoch with the train and
val tag NLL, val tag accuracy and val word F1.
Bug: the conv stack gives (B, 4, T); the code transposes to (B, T, 4) for the loss and then
writes ``F.log_softmax(logits, dim=1)`` — dim 1 was the tag axis before the transpose and is
the time axis after it. Each tag is normalised over the 12 positions of the sentence, so the
loss asks "which position is the E?" rather than "which tag is this position?", and a tag that
is absent from a sentence (often M or S in 12 characters) still gets a full unit of probability
somewhere. The logged NLL never leaves chance level (train 1.36, val 1.43; ln 4 = 1.386) while
the tags are mostly right (val tag accuracy 0.88 → 0.90, word F1 0.82 → 0.86 over the last 5 epochs). Control
(``dim=-1``): train NLL 0.064, val NLL 0.167, val tag accuracy 0.945, word F1 0.911."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

CHARS, LEN, TAGS = 50, 12, 4  # tags: 0 B, 1 M, 2 E, 3 S


def corpus(n, g):
    lens = torch.multinomial(torch.tensor([0.2, 0.45, 0.25, 0.1]), 300, True, generator=g) + 1
    words = [torch.randint(0, CHARS, (int(k),), generator=g) for k in lens]
    freq = 1.0 / torch.arange(1, 301).float() ** 0.8
    chars, tags = torch.zeros(n, LEN, dtype=torch.long), torch.zeros(n, LEN, dtype=torch.long)
    for i in range(n):
        c, t = [], []
        while len(c) < LEN:
            wd = words[int(torch.multinomial(freq, 1, generator=g))]
            c += wd.tolist()
            t += [3] if len(wd) == 1 else [0] + [1] * (len(wd) - 2) + [2]
        chars[i], tags[i] = torch.tensor(c[:LEN]), torch.tensor(t[:LEN])
    return chars, tags


def spans(tags):
    out, start = set(), 0
    for i, t in enumerate(tags):
        if t in (0, 3):
            start = i
        if t in (2, 3):
            out.add((start, i))
    return out


def word_f1(pred, gold):
    tp = npred = ngold = 0
    for p, q in zip(pred.tolist(), gold.tolist(), strict=False):
        a, b = spans(p), spans(q)
        tp, npred, ngold = tp + len(a & b), npred + len(a), ngold + len(b)
    return 2 * tp / max(npred + ngold, 1)


class IDCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(CHARS, 48)
        self.block = nn.ModuleList([nn.Conv1d(48, 48, 3, padding=d, dilation=d) for d in (1, 2, 4)])
        self.drop = nn.Dropout(0.1)
        self.tagger = nn.Conv1d(48, TAGS, 1)

    def forward(self, chars):
        h = self.embed(chars).transpose(1, 2)
        for _ in range(2):  # iterate the same dilated block
            for conv in self.block:
                h = F.relu(conv(h))
        return self.tagger(self.drop(h))  # (B, TAGS, T)


def build():
    torch.manual_seed(0)
    return IDCNN()


def tag_nll(model, chars, tags):
    logits = model(chars).transpose(1, 2)  # (B, T, TAGS)
    logp = F.log_softmax(logits, dim=1)
    return F.nll_loss(logp.reshape(-1, TAGS), tags.reshape(-1)), logp


def main():
    from _seventyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    chars, tags = corpus(3000, g)
    ctr, ttr, cva, tva = chars[:2600], tags[:2600], chars[2600:], tags[2600:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "seg_log.jsonl", "w")
    for epoch in range(8):
        model.train()
        tot = 0.0
        for idx in torch.randperm(len(ctr), generator=g).split(32):
            loss, _ = tag_nll(model, ctr[idx], ttr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vloss, logp = tag_nll(model, cva, tva)
            pred = logp.argmax(-1)
        row = {"epoch": epoch, "train_nll": round(tot / len(ctr), 4),
               "val_nll": round(vloss.item(), 4),
               "val_tag_acc": round((pred == tva).float().mean().item(), 4),
               "val_word_f1": round(word_f1(pred, tva), 4)}
        log.write(json.dumps(row) + "\n")
        print(row)
    log.close()
    torch.save({"idcnn": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch,
                "tagset": ["B", "M", "E", "S"]}, out / "idcnn_seg.pt")
    finish(out, __file__, (cva[:64], tva[:64]), causes=["softmax_wrong_dim"],
           checkpoint="idcnn_seg.pt", log="seg_log.jsonl",
           what="ID-CNN word segmenter, log_softmax over dim=1 after transposing to (B, T, C)",
           complaint="The segmentation loss has been stuck around 1.4–1.5 since the third epoch, "
                     "on, train and val, whatever I do, but the tagger gets 90% of the tags "
                     "right, and word F1 stays at 0.86 where a published ID-CNN does much better.")


if __name__ == "__main__":
    main()
