"""Plain torch: an LSTM reads a Thames wherryman's fare book, the stairs (landing places) of
each fare in the order he rowed them, and predicts the stairs of his next fare, so the
company can tell which stairs will be short of boats. 16 stairs: 8 reaches from Westminster
down to Wapping, each with a north and a south stairs. The rule behind the book: a wherry
rows with the tide, never long against it; about 40 % of fares are straight across the
river (the same reach, the other bank), the rest go 1-3 reaches with the stream (down on
the ebb, up on the flood), a few (8 %) a reach against it; at the top or bottom of his beat
he crosses; the stream turns every 6.2 h, which is 7-10 fares (the man's pace), so the tide
has to be read from his last few fares. Each book is 128 fares of one day's rowing.
Input: (128,) stairs ids (reach × 2 + bank). Target per step: the next fare's stairs.
Model: Embedding 16→32, 2-layer LSTM 32→96, Linear 96→16 on every step; cross-entropy over all
steps, plain SGD at 30 (the recipe of the word-level language model it was copied from,
which runs at 20), batch 20 books, 6 epochs, 400 books, validation on 120.
The bug: the loop has no gradient clipping (``opt.step()  # plain SGD, as in the LM recipe``);
at that rate the recurrent gradient grows through the 128 steps, the first large ones
throw the weights out and the training CE climbs from 2.77 to 70-77 within 20 steps and
ends near 30; val CE 74 → 28, val acc 0.10 → 0.18 (0.25 for the across fares) (control,
``clip_grad_norm_(…, 0.25)`` before the step: training CE 2.77 → 1.4-1.5, val CE 2.20 →
1.44, val acc 0.40 → 0.51 (0.81 across), best 0.54).
Log: JSON lines ``farebook_log.jsonl``: ``{"step", "ce"}`` every 3 steps and ``{"epoch",
"val_ce", "val_acc", "val_acc_across"}`` per epoch; checkpoint ``stairs_lstm.pt`` with keys
``lstm_state`` / ``sgd_state`` / ``epoch`` / ``n_stairs``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

REACHES = 8
FARES = 128


def books(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    out = torch.zeros(n, FARES + 1, dtype=torch.long)
    reach = torch.randint(0, REACHES, (n,), generator=g)
    bank = torch.randint(0, 2, (n,), generator=g)
    ebb = torch.randint(0, 2, (n,), generator=g) * 2 - 1  # +1 downstream on the ebb
    left = torch.randint(1, 10, (n,), generator=g)
    for i in range(FARES + 1):
        out[:, i] = reach * 2 + bank
        u = r(n)
        across = u < 0.4
        against = (u > 0.92)
        hop = torch.randint(1, 4, (n,), generator=g)
        move = torch.where(against, -ebb, ebb * hop)
        nxt = reach + move
        edge = (nxt < 0) | (nxt >= REACHES)
        across = across | edge
        reach = torch.where(across, reach, nxt)
        bank = torch.where(across, 1 - bank, bank)
        left = left - 1
        turn = left <= 0
        ebb = torch.where(turn, -ebb, ebb)
        left = torch.where(turn, torch.randint(7, 11, (n,), generator=g), left)
    return out[:, :-1], out[:, 1:]


class FareLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(2 * REACHES, 32)
        self.lstm = nn.LSTM(32, 96, num_layers=2, batch_first=True)
        self.out = nn.Linear(96, 2 * REACHES)

    def forward(self, stairs):
        h, _ = self.lstm(self.emb(stairs))
        return self.out(h)


def build():
    torch.manual_seed(0)
    return FareLSTM()


def main():
    from _threehundredsixtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = books(400, g)
    xva, yva = books(120, g)
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=20, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=30.0)
    across = (xva // 2) == (yva // 2)
    step = 0
    with open(out / "farebook_log.jsonl", "w") as log:
        for epoch in range(6):
            model.train()
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb).reshape(-1, 2 * REACHES), yb.reshape(-1))
                opt.zero_grad()
                loss.backward()
                opt.step()  # plain SGD, as in the LM recipe
                if step % 3 == 0:
                    log.write(json.dumps({"step": step, "ce": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(-1)
            row = {"epoch": epoch,
                   "val_ce": round(F.cross_entropy(logits.reshape(-1, 2 * REACHES),
                                                   yva.reshape(-1)).item(), 6),
                   "val_acc": round((pred == yva).float().mean().item(), 6),
                   "val_acc_across": round((pred[across] == yva[across]).float().mean().item(),
                                           6)}
            log.write(json.dumps(row) + "\n")
            print(row)
    torch.save({"lstm_state": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 6,
                "n_stairs": 2 * REACHES}, out / "stairs_lstm.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["exploding_gradients"],
           checkpoint="stairs_lstm.pt", log="farebook_log.jsonl",
           what="LSTM predicting a wherryman's next fare's stairs from his fare book; SGD at 30"
                " with no gradient clipping",
           complaint="I copied the PyTorch word language model recipe (plain SGD, high learning"
                     " rate) for a next-stop model on our fare books. The loss starts at 2.8"
                     " like it should, but within the first 20 steps it shoots up to 70+ and"
                     " never gets back below 30. Validation CE is 28-74 and accuracy 10-19 %,"
                     " worse than always guessing the stairs across the river.")


if __name__ == "__main__":
    main()
