"""Tsunami onset tagging on coastal tide-gauge records: a dilated 1-D CNN reads a de-tided
sea-level record sampled every 2 minutes and tags each sample "calm" or "tsunami" (the wave
train has arrived). Synthetic records after offshore earthquakes, 24–240 samples long (most are
short clips of 1–2 hours around the expected arrival, a few run for up to 8 hours): 2-cm gauge
noise, a harbour seiche (period 8–25 min, 1–6 cm) throughout, a slow residual surge, and in
60 % of the records a tsunami arriving somewhere inside the clip — a decaying wave train of
period 10–40 min and first amplitude 4–40 cm. Records are batched with ``pad_sequence`` (input 0.0, tag ``<pad>``),
the tag vocabulary is ``["calm", "tsunami", "<pad>"]`` and the head has one logit per tag.
A dilated 1-D CNN tagger (Conv1d 1→32→32→32, kernel 9, dilations 1/2/4, ReLU, a 1×1 conv to
3 tag logits; receptive field 57 samples); SGD lr 0.01, momentum 0.9, batch 32, 8 epochs of
1200 records; JSON lines per epoch: train loss, val loss, and on the real (unpadded) samples the
accuracy and the tsunami F1.
Bug: ``nn.CrossEntropyLoss()`` without ``ignore_index`` for the ``<pad>`` tag, so every padded
step of a batch counts as a sample to classify; 72 % of the steps in a training batch (79 % on
validation) are padding. After epoch 1 every real sample is tagged ``<pad>`` (real accuracy
0.00, 0.06 after epoch 2); the loss then falls to a very good-looking 0.106 train / 0.095 val,
but on the real samples the accuracy is 0.853 and the tsunami F1 0.72 (0.74 at epoch 5). The
control (``ignore_index=PAD``) has the honest, higher loss (0.22 train / 0.30 val) and real
accuracy 0.892, tsunami F1 0.77 (0.82 / 0.55 already after epoch 1)."""
import json

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence

TAGS = ["calm", "tsunami", "<pad>"]
PAD = TAGS.index("<pad>")
LR = 0.01
EPOCHS = 8


def record(g):
    r = lambda: float(torch.rand(1, generator=g))  # noqa: E731
    n = int(24 + 216 * r() ** 6)
    t = torch.arange(n).float() * 2  # minutes
    x = 0.02 * torch.randn(n, generator=g)
    x = x + (0.01 + 0.05 * r()) * torch.sin(6.283 * t / (8 + 17 * r()) + 6 * r())
    x = x + 0.03 * (r() - 0.5) * t / max(t[-1].item(), 1)
    y = torch.zeros(n, dtype=torch.long)
    if r() < 0.6:
        k = int(n * (0.15 + 0.7 * r()))
        per, amp = 10 + 30 * r(), 0.04 + 0.36 * r() ** 1.5
        tt = t[k:] - t[k]
        x[k:] = x[k:] + amp * torch.sin(6.283 * tt / per) * torch.exp(-tt / (60 + 120 * r()))
        y[k:] = 1
    return x / 0.1, y


def collate(recs):
    xs = pad_sequence([x for x, _ in recs], batch_first=True, padding_value=0.0)
    ys = pad_sequence([y for _, y in recs], batch_first=True, padding_value=PAD)
    return xs[..., None], ys


class GaugeTagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv1d(1, 32, 9, padding=4), nn.ReLU(),
                                 nn.Conv1d(32, 32, 9, padding=8, dilation=2), nn.ReLU(),
                                 nn.Conv1d(32, 32, 9, padding=16, dilation=4), nn.ReLU(),
                                 nn.Conv1d(32, len(TAGS), 1))

    def forward(self, x):  # (B, T, 1) -> (B, T, tags)
        return self.net(x.transpose(1, 2)).transpose(1, 2)


def build():
    torch.manual_seed(0)
    return GaugeTagger()


def real_metrics(logits, y):
    real = y != PAD
    pred = logits.argmax(-1)[real]
    yy = y[real]
    tp = ((pred == 1) & (yy == 1)).sum().item()
    f1 = 2 * tp / max(2 * tp + ((pred == 1) & (yy != 1)).sum().item()
                      + ((pred != 1) & (yy == 1)).sum().item(), 1)
    return (pred == yy).float().mean().item(), f1


def main():
    from _hundredsixteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    recs = [record(g) for _ in range(1500)]
    train, val = recs[:1200], recs[1200:]
    xva, yva = collate(val)
    print("padding share of val steps", (yva == PAD).float().mean().item())
    model = build()
    criterion = nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=0.9)
    log = open(out / "tagger_history.jsonl", "w")
    for epoch in range(EPOCHS):
        model.train()
        perm = torch.randperm(len(train), generator=g).tolist()
        tot, pad_share = 0.0, 0.0
        for i in range(0, len(train), 32):
            xb, yb = collate([train[j] for j in perm[i:i + 32]])
            loss = criterion(model(xb).reshape(-1, len(TAGS)), yb.reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item()
            pad_share += (yb == PAD).float().mean().item()
        model.eval()
        with torch.no_grad():
            lo = model(xva)
        acc, f1 = real_metrics(lo, yva)
        rec = {"epoch": epoch + 1, "train_loss": round(tot / 38, 4),
               "val_loss": round(criterion(lo.reshape(-1, len(TAGS)), yva.reshape(-1)).item(), 4),
               "val_acc_real": round(acc, 4), "val_f1_tsunami": round(f1, 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, "pad share", round(pad_share / 38, 3))
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 15,
                "tags": TAGS, "dt_min": 2}, out / "gauge_tagger.pt")
    xb, yb = collate(val[:64])
    finish(out, __file__, (xb, yb), causes=["loss_ignores_padding"],
           checkpoint="gauge_tagger.pt", log="tagger_history.jsonl",
           what="BiGRU tsunami tagger on padded tide-gauge records, CE counts the <pad> steps",
           complaint="The tsunami tagger's loss looks great (val loss 0.095 after 8 epochs) but "
                     "when I check the real gauge samples only 85 % are tagged right and the F1 on "
                     "'tsunami' is 0.72. After the first epoch it even tagged every real sample "
                     "as <pad>.")


if __name__ == "__main__":
    main()
