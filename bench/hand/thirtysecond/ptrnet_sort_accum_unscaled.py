"""Pointer network (Vinyals et al.) learning to sort lists of 8 numbers. Each list holds 8 values
drawn uniformly from [0, 1); the answer is the order of the positions that sorts them. An LSTM
encoder (64 units) reads the values (each through a linear embedding); an LSTM-cell decoder,
fed the embedding of the value it pointed at last (a learned start vector first), scores every
input position with additive attention v·tanh(W1 e_j + W2 d_t); positions already taken are
masked and the softmax over positions is the output. Teacher forcing on the true order,
cross-entropy over the 8 pointer steps. SGD lr 0.5 momentum 0.9, gradient accumulation over
8 micro-batches of 32 (an effective batch of 256, the recipe's batch that did not fit on the
shared box), 200 updates on fresh lists. ``sort_log.csv`` holds the mean micro-batch loss per
update every 10 updates and, every 50 updates, the greedy-decoded validation on 1000 fixed
lists: ``val_ce`` (teacher-forced), ``val_exact`` (whole list sorted right) and
``val_pos_acc`` (positions right).
Bug: the accumulation loop calls ``loss.backward()`` on each micro-batch's mean loss without
dividing by ``ACCUM``; the 8 gradients are summed, so every update is 8 times the step the
recipe's lr was set for (lr 0.5 on the average gradient of the 256 lists)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

N, HID = 8, 64
ACCUM, MICRO, UPDATES = 8, 32, 200


class PointerNet(nn.Module):
    def __init__(self, hidden=HID):
        super().__init__()
        self.embed = nn.Linear(1, hidden)
        self.encoder = nn.LSTM(hidden, hidden, batch_first=True)
        self.decoder = nn.LSTMCell(hidden, hidden)
        self.w_enc = nn.Linear(hidden, hidden, bias=False)
        self.w_dec = nn.Linear(hidden, hidden)
        self.v = nn.Linear(hidden, 1, bias=False)
        self.start = nn.Parameter(torch.zeros(hidden))

    def forward(self, values, order=None):
        """values (B, N) → pointer logits (B, N steps, N positions); teacher forcing if
        ``order`` (B, N) is given, greedy decoding otherwise."""
        b, n = values.shape
        e = self.embed(values[..., None])
        enc, (h, c) = self.encoder(e)
        keys = self.w_enc(enc)
        inp = self.start.expand(b, -1)
        taken = torch.zeros(b, n, dtype=torch.bool)
        h, c = h[0], c[0]
        logits = []
        for t in range(n):
            h, c = self.decoder(inp, (h, c))
            u = self.v(torch.tanh(keys + self.w_dec(h)[:, None])).squeeze(-1)
            u = u.masked_fill(taken, -1e9)
            logits.append(u)
            pick = order[:, t] if order is not None else u.argmax(1)
            taken = taken | F.one_hot(pick, n).bool()
            inp = e[torch.arange(b), pick]
        return torch.stack(logits, 1)


def lists(n, g):
    x = torch.rand(n, N, generator=g)
    return x, x.argsort(1)


def build():
    torch.manual_seed(0)
    return PointerNet()


def main():
    from _thirtysecond import finish, out_dir
    out = out_dir(__file__)
    torch.set_flush_denormal(True)  # CPU speed
    g = torch.Generator().manual_seed(0)
    vx, vy = lists(1000, g)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    log = open(out / "sort_log.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["update", "train_loss", "val_ce", "val_exact", "val_pos_acc"])
    for update in range(1, UPDATES + 1):
        model.train()
        opt.zero_grad()
        total = 0.0
        for _ in range(ACCUM):
            x, y = lists(MICRO, g)
            loss = F.cross_entropy(model(x, y).reshape(-1, N), y.reshape(-1))
            loss.backward()
            total += loss.item()
        opt.step()
        row = [update, round(total / ACCUM, 4), "", "", ""]
        if update % 50 == 0:
            model.eval()
            with torch.no_grad():
                vce = F.cross_entropy(model(vx, vy).reshape(-1, N), vy.reshape(-1)).item()
                pred = model(vx).argmax(-1)
            exact = (pred == vy).all(1).float().mean().item()
            pos = (pred == vy).float().mean().item()
            row[2:] = [round(vce, 4), round(exact, 4), round(pos, 4)]
            print(update, row[1:])
        if update % 10 == 0:
            w.writerow(row)
    log.close()
    torch.save({"net_state": model.state_dict(), "opt_state": opt.state_dict(),
                "update": UPDATES, "accum_steps": ACCUM, "micro_batch": MICRO},
               out / "ptrnet_sort.pt")
    finish(out, __file__, {"inputs": vx[:64], "order": vy[:64], "targets": vy[:64]},
           causes=["grad_accum_unscaled"], checkpoint="ptrnet_sort.pt", log="sort_log.csv",
           what="pointer network sorting 8 numbers, SGD, 8 accumulated micro-batches not / 8",
           complaint="pointer net that should learn to sort 8 numbers: the loss goes down for "
                     "the first ten updates (0.80) and then jumps to 1.3256 and stays there to "
                     "the fourth decimal for the remaining 170 updates; not a single validation "
                     "list comes out sorted (val_exact 0.0)")


if __name__ == "__main__":
    main()
