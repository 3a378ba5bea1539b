"""Char-level LSTM language model on recipe steps generated from a small grammar ("chop the
onions and fry for 5 minutes.", "whisk 2 eggs with the sugar until pale." ...; 40-odd
symbols), 1-layer LSTM, 96 hidden units, embedding 32, truncated BPTT windows of 48 chars.
Plain SGD lr 5.0, no clipping (tuned on batches of 16, where it trains to 0.35), then
micro-batches of 16 windows with gradient accumulation over 8 of them ("effective batch 128"),
150 optimizer steps, a CSV every 10 steps with the train loss per char and a val loss / bits per
char. Bug: the 8 micro-batch losses are summed into the gradients without dividing by 8, so
every step is 8 times the intended one (an effective lr 40): the train loss is 20.4 at step
10 and wanders between 2.2 and 6 for the rest of the run, val loss 2.52 at the end (with
``(loss / ACCUM).backward()``: 2.39 at step 10, val loss 0.35 at the end)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

WIN, ACCUM = 48, 8


def recipe_text(n_lines, g):
    verbs = ["chop", "slice", "dice", "whisk", "stir", "fry", "boil", "bake", "mix", "fold"]
    things = ["the onions", "2 eggs", "the sugar", "the flour", "3 carrots", "the butter",
              "the garlic", "the rice", "the milk", "4 potatoes"]
    tails = ["until pale", "for 5 minutes", "for 10 minutes", "until golden", "gently",
             "with the sugar", "in a large pan", "until soft", "and set aside", "well"]

    def pick(xs):
        return xs[int(torch.randint(0, len(xs), (1,), generator=g))]
    lines = []
    for _ in range(n_lines):
        s = f"{pick(verbs)} {pick(things)} {pick(tails)}"
        if torch.rand(1, generator=g).item() < 0.4:
            s += f", then {pick(verbs)} {pick(things)}"
        lines.append(s + ".\n")
    return "".join(lines)


class CharLM(nn.Module):
    def __init__(self, vocab=48, emb=32, hidden=96):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, x):
        return self.out(self.lstm(self.emb(x))[0])


def build():
    torch.manual_seed(0)
    return CharLM()


def main():
    from _twelfth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    text = recipe_text(3000, g)
    chars = sorted(set(text))
    assert len(chars) <= 48
    ids = torch.tensor([chars.index(c) for c in text])
    split = int(0.9 * len(ids))
    train, val = ids[:split], ids[split:]
    vstarts = torch.arange(0, len(val) - WIN - 1, WIN)[:200]
    vx = torch.stack([val[s:s + WIN] for s in vstarts])
    vy = torch.stack([val[s + 1:s + WIN + 1] for s in vstarts])
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=5.0)
    f = open(out / "lm_log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["step", "train_loss", "val_loss", "val_bpc"])
    for step in range(1, 151):
        model.train()
        opt.zero_grad()
        for _ in range(ACCUM):
            starts = torch.randint(0, len(train) - WIN - 1, (16,), generator=g)
            x = torch.stack([train[s:s + WIN] for s in starts])
            y = torch.stack([train[s + 1:s + WIN + 1] for s in starts])
            loss = F.cross_entropy(model(x).flatten(0, 1), y.flatten())
            loss.backward()  # BUG: not divided by ACCUM
        opt.step()
        if step % 10 == 0:
            model.eval()
            with torch.no_grad():
                vl = F.cross_entropy(model(vx).flatten(0, 1), vy.flatten()).item()
            w.writerow([step, round(loss.item(), 5), round(vl, 5), round(vl / 0.6931, 4)])
            print(step, round(loss.item(), 4), round(vl, 4))
    f.close()
    torch.save({"model": model.state_dict(), "optim": opt.state_dict(), "step": step,
                "chars": "".join(chars)}, out / "charlm.pt")
    finish(out, __file__, (vx[:32], vy[:32]), causes=["grad_accum_unscaled"],
           checkpoint="charlm.pt", log="lm_log.csv",
           what="char LSTM LM, SGD lr 5, 8-step gradient accumulation without dividing",
           complaint="my char-level LSTM on recipe text is a mess: the loss starts around 20 and "
                     "then jumps up and down between 2 and 6; the same model and lr went down "
                     "to ~0.35 before I reworked the training loop")


if __name__ == "__main__":
    main()
