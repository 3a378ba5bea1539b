"""CNN-LSTM image captioner (show-and-tell style) on synthetic 24×24 scenes: two objects (a
disc, a bar or a pole in red, green, blue or yellow, never both alike) on a noisy background,
described in a tiny grammar: "a red disc left of a blue bar", "a green pole above a red disc"
(the relation from the objects' offsets, which are clearly horizontal or vertical; which
object is named first is a coin flip, so "a blue bar right of a red disc" is just as right).
A small conv encoder (16-32-64, max pools, a linear map to 64 features) feeds the LSTM
decoder (embedding 32 + the 64 image features at every step, 128 units); teacher forcing,
cross-entropy over the caption tokens (padding ignored). Adam 3e-3, batch 32, 10 epochs over
3000 scenes. ``caption_log.jsonl`` holds the train loss every 20 steps and per epoch the
teacher-forced ``val_loss`` and the greedy-decoded captions of 500 validation scenes scored
against both right phrasings (``val_exact``: the whole caption right; ``val_token_acc``:
tokens right at their position).
Bug: the loss compares the decoder's outputs with ``caps[:, :-1]``, the very tokens fed in
(``caps[:, 1:]``, the next token, was meant): at every step the decoder is asked to repeat its
input, which it learns at once, and greedy decoding (which feeds back its own outputs) only
repeats the start token."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

S = 24
COLOURS = {"red": (1.0, 0.1, 0.1), "green": (0.1, 0.9, 0.1), "blue": (0.15, 0.2, 1.0),
           "yellow": (1.0, 0.9, 0.1)}
SHAPES = ("disc", "bar", "pole")
WORDS = ["<pad>", "<bos>", "<eos>", "a", "left", "right", "of", "above", "below",
         *COLOURS, *SHAPES]
IDX = {w: i for i, w in enumerate(WORDS)}
MAXLEN = 11  # <bos> a c s left of a c s <eos> + 1


def paint(img, shape, colour, cx, cy, r):
    yy, xx = torch.meshgrid(torch.arange(S).float(), torch.arange(S).float(), indexing="ij")
    dx, dy = xx - cx, yy - cy
    if shape == "disc":
        m = dx ** 2 + dy ** 2 < r ** 2
    elif shape == "bar":
        m = (dx.abs() < r) & (dy.abs() < 0.4 * r)
    else:
        m = (dx.abs() < 0.4 * r) & (dy.abs() < r)
    img[:, m] = torch.tensor(COLOURS[colour])[:, None]


def relation(a, b):
    """How object a lies relative to object b (image y grows downwards)."""
    dx, dy = a[0] - b[0], a[1] - b[1]
    if abs(dx) >= abs(dy):
        return ["left", "of"] if dx < 0 else ["right", "of"]
    return ["above"] if dy < 0 else ["below"]


def scenes(n, g):
    imgs = 0.15 * torch.rand(n, 3, S, S, generator=g)
    caps = torch.zeros(n, MAXLEN, dtype=torch.long)
    alts = torch.zeros(n, MAXLEN, dtype=torch.long)
    cols, shps = list(COLOURS), list(SHAPES)
    for i in range(n):
        while True:
            objs = [(cols[int(torch.randint(4, (1,), generator=g))],
                     shps[int(torch.randint(3, (1,), generator=g))],
                     (5 + 14 * torch.rand(2, generator=g)).tolist()) for _ in range(2)]
            (c1, s1, p1), (c2, s2, p2) = objs
            dx, dy = sorted([abs(p1[0] - p2[0]), abs(p1[1] - p2[1])])
            if dy > 10 and dy > 1.5 * dx and (c1, s1) != (c2, s2):
                break
        for c, s, p in objs:
            paint(imgs[i], s, c, p[0], p[1], 4.5)
        phr = [["<bos>", "a", c1, s1, *relation(p1, p2), "a", c2, s2, "<eos>"],
               ["<bos>", "a", c2, s2, *relation(p2, p1), "a", c1, s1, "<eos>"]]
        if torch.rand(1, generator=g) < 0.5:
            phr.reverse()
        caps[i, :len(phr[0])] = torch.tensor([IDX[w] for w in phr[0]])
        alts[i, :len(phr[1])] = torch.tensor([IDX[w] for w in phr[1]])
    return imgs, caps, alts


class Captioner(nn.Module):
    def __init__(self, hidden=128):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(64 * 9, 64), nn.ReLU())
        self.embed = nn.Embedding(len(WORDS), 32, padding_idx=0)
        self.lstm = nn.LSTM(32 + 64, hidden, batch_first=True)
        self.out = nn.Linear(hidden, len(WORDS))

    def step_inputs(self, feats, tokens):
        return torch.cat([self.embed(tokens), feats[:, None].expand(-1, tokens.shape[1], -1)], 2)

    def forward(self, images, captions):
        """images (B, 3, S, S), captions (B, L) decoder input tokens → logits (B, L, V)."""
        feats = self.encoder(images)
        h, _ = self.lstm(self.step_inputs(feats, captions))
        return self.out(h)

    @torch.no_grad()
    def greedy(self, images):
        feats, state = self.encoder(images), None
        tok = torch.full((len(images), 1), IDX["<bos>"])
        out = [tok]
        for _ in range(MAXLEN - 1):
            h, state = self.lstm(self.step_inputs(feats, tok), state)
            tok = self.out(h).argmax(-1)
            out.append(tok)
        return torch.cat(out, 1)


def score(pred, caps, alts):
    """Exact match and token accuracy against the closer of the two right phrasings."""
    def upto_eos(t):
        after = (t == IDX["<eos>"]).long().cumsum(1) - (t == IDX["<eos>"]).long()
        return torch.where(after > 0, torch.zeros_like(t), t)
    pred = upto_eos(pred)
    mask = caps != 0
    hits = [((pred == ref) & mask).sum(1) for ref in (caps, alts)]
    best = torch.maximum(*hits)
    exact = ((pred == caps).all(1) | (pred == alts).all(1)).float().mean().item()
    return exact, (best.sum() / mask.sum()).item()


def build():
    torch.manual_seed(0)
    return Captioner()


def main():
    from _thirtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    imgs, caps, alts = scenes(3500, g)
    tr, va = slice(0, 3000), slice(3000, 3500)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "caption_log.jsonl", "w")
    step = 0
    for epoch in range(10):
        model.train()
        for idx in torch.randperm(3000, generator=g).split(32):
            x, c = imgs[tr][idx], caps[tr][idx]
            logits = model(x, c[:, :-1])
            loss = F.cross_entropy(logits.reshape(-1, len(WORDS)), c[:, :-1].reshape(-1),
                                   ignore_index=0)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 20 == 0:
                log.write(json.dumps({"step": step, "loss": round(loss.item(), 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            vc = caps[va]
            vl = F.cross_entropy(model(imgs[va], vc[:, :-1]).reshape(-1, len(WORDS)),
                                 vc[:, :-1].reshape(-1), ignore_index=0).item()
            exact, tok = score(model.greedy(imgs[va]), vc, alts[va])
        log.write(json.dumps({"step": step, "epoch": epoch, "val_loss": round(vl, 4),
                              "val_exact": round(exact, 4), "val_token_acc": round(tok, 4)})
                  + "\n")
        print(epoch, round(loss.item(), 4), round(vl, 4), round(exact, 4), round(tok, 4))
    log.close()
    torch.save({"captioner": model.state_dict(), "adam": opt.state_dict(), "epoch": epoch,
                "vocab": WORDS}, out / "captioner.pt")
    vc = caps[va][:64]
    finish(out, __file__, {"inputs": imgs[va][:64], "captions": vc[:, :-1],
                           "targets": vc[:, :-1]},
           causes=["task_trivial_or_leak"], checkpoint="captioner.pt", log="caption_log.jsonl",
           what="CNN-LSTM captioner, loss targets = the decoder's own input tokens (not shifted)",
           complaint="my captioner's train and val loss both drop to about 0.0001 within two "
                     "epochs, yet greedy decoding outputs '<bos> <bos> <bos> ...' for every "
                     "image; val exact match 0 and token accuracy 0.11")


if __name__ == "__main__":
    main()
