"""Voice-assistant commands into 6 intents (timer, weather, music, call, lights, shopping) with
a post-LN Transformer encoder (``nn.TransformerEncoder``, 2 layers, d_model 32, 4 heads,
[CLS]-style first token). Bug: Adam at lr 0.05 with no warm-up -- the value was taken from a
"try a big lr first" tip for an MLP. From the first epoch the loss sits at ln 6 = 1.79-1.81
and val accuracy at chance (0.15-0.18); the same script at 1e-3 reaches 0.98."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, MAXLEN, PAD, CLS, INTENTS = 150, 16, 0, 1, 6


def commands(n, g):
    y = torch.randint(0, INTENTS, (n,), generator=g)
    lengths = torch.randint(5, MAXLEN + 1, (n,), generator=g)
    x = torch.randint(50, VOCAB, (n, MAXLEN), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 3, (1,), generator=g))
        where = 1 + torch.randperm(int(lengths[i]) - 1, generator=g)[:k]
        x[i, where] = 2 + 6 * y[i] + torch.randint(0, 6, (k,), generator=g)
    x[:, 0] = CLS
    x = x.masked_fill(torch.arange(MAXLEN)[None] >= lengths[:, None], PAD)
    return x, y


class IntentEncoder(nn.Module):
    def __init__(self, d=32):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.pos = nn.Embedding(MAXLEN, d)
        layer = nn.TransformerEncoderLayer(d, 4, 64, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.classifier = nn.Linear(d, INTENTS)

    def forward(self, x):
        h = self.tok(x) + self.pos(torch.arange(x.shape[1]))
        h = self.encoder(h, src_key_padding_mask=x == PAD)
        return self.classifier(h[:, 0])


def build():
    torch.manual_seed(0)
    return IntentEncoder()


def main():
    from _eighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(1)
    (x, y), (vx, vy) = commands(1800, g), commands(300, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.05)  # BUG: far too high for a Transformer
    with open(out / "history.jsonl", "w") as f:
        for epoch in range(8):
            model.train()
            perm, tot, hit = torch.randperm(len(x), generator=g), 0.0, 0
            for i in range(0, len(x), 32):
                idx = perm[i:i + 32]
                logits = model(x[idx])
                loss = F.cross_entropy(logits, y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(idx)
                hit += (logits.argmax(1) == y[idx]).sum().item()
            model.eval()
            with torch.no_grad():
                vo = model(vx)
            rec = {"epoch": epoch + 1, "loss": tot / len(x), "acc": hit / len(x),
                   "val_loss": F.cross_entropy(vo, vy).item(),
                   "val_acc": (vo.argmax(1) == vy).float().mean().item()}
            f.write(json.dumps(rec) + "\n")
            print({k: round(v, 4) for k, v in rec.items()})
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch + 1},
               out / "intent_encoder.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["lr_too_high"],
           checkpoint="intent_encoder.pt", log="history.jsonl",
           what="Transformer encoder intent classifier, Adam lr 0.05 without warm-up",
           complaint="my transformer intent classifier is stuck at about 17% accuracy, the loss "
                     "sits at 1.80 from the first epoch and never moves")


if __name__ == "__main__":
    main()
