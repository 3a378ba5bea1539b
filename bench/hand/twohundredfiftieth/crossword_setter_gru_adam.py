"""Plain torch: a GRU names which of 4 crossword setters compiled a cryptic puzzle from the
sequence of its 28 clue types (anagram, hidden word, charade, container, reversal, homophone,
double definition, deletion, &lit, spoonerism; 10 tokens). Each setter has a habit: a favourite
clue type and a pet follow-up (a container after an anagram, a reversal after a hidden word, ...),
drawn from a per-setter Markov chain mixed with a shared one. Embedding(10, 16) → GRU(16→48) →
last hidden state → Linear(48→4); Adam, batch 32, 10 epochs of 1280 puzzles, shuffled.
The bug: ``lr=3e-1`` in the Adam line (meant 3e-3). Train loss 2.63, 2.56, 2.80, 1.86, ...,
2.23 at epoch 10 (always above chance, ln 4 = 1.39), val loss jumping 1.44–2.52, val accuracy
0.38–0.48 and not improving.
Control (``lr=3e-3``): train loss 0.85 → 0.15, val loss 0.44 → 0.22, val accuracy 0.74 →
0.91."""
import sys

import torch
import torch.nn as nn

V, T, S = 10, 28, 4


def puzzles(n, g):
    base = torch.softmax(torch.randn(V, V, generator=torch.Generator().manual_seed(7)), 1)
    habits = []
    hg = torch.Generator().manual_seed(11)
    for _ in range(S):
        m = base.clone() * 0.5
        fav = torch.randperm(V, generator=hg)[:3]
        m[:, fav[0]] += 0.25
        m[fav[1], fav[2]] += 0.6
        habits.append(m / m.sum(1, keepdim=True))
    y = torch.randint(0, S, (n,), generator=g)
    x = torch.zeros(n, T, dtype=torch.long)
    x[:, 0] = torch.randint(0, V, (n,), generator=g)
    for t in range(1, T):
        for s in range(S):
            rows = (y == s).nonzero().squeeze(1)
            x[rows, t] = torch.multinomial(habits[s][x[rows, t - 1]], 1, generator=g).squeeze(1)
    return x, y


class SetterGRU(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, 16)
        self.gru = nn.GRU(16, 48, batch_first=True)
        self.head = nn.Linear(48, S)

    def forward(self, x):
        _, h = self.gru(self.emb(x))
        return self.head(h[-1])


def build():
    torch.manual_seed(0)
    return SetterGRU()


def main():
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    from _twohundredfiftieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = puzzles(1280, g)
    xva, yva = puzzles(320, g)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-1)
    loss_fn = nn.CrossEntropyLoss()
    f = open(out / "setters.tsv", "w")
    f.write("epoch\tce\tval_ce\tval_acc\n")
    for epoch in range(10):
        model.train()
        perm = torch.randperm(1280, generator=g)
        tot = 0.0
        for i in range(0, 1280, 32):
            idx = perm[i:i + 32]
            loss = loss_fn(model(xtr[idx]), ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            vl, va = loss_fn(lv, yva).item(), (lv.argmax(1) == yva).float().mean().item()
        f.write(f"{epoch + 1}\t{tot / 1280:.4f}\t{vl:.4f}\t{va:.4f}\n")
        print(epoch + 1, round(tot / 1280, 4), round(vl, 4), round(va, 4))
    f.close()
    torch.save({"model_state": model.state_dict(), "optim_state": opt.state_dict(),
                "epoch": 10, "global_step": 400}, out / "setter_gru.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="setter_gru.pt", log="setters.tsv",
           what="GRU naming a cryptic crossword's setter from its sequence of clue types",
           complaint=("用GRU根据一套字谜里线索类型的顺序判断是哪位出题人出的（4位出题人）。"
                      "训练了10个epoch，训练损失一直在1.8到2.8之间来回跳，比随机猜还高，"
                      "验证准确率只有0.38-0.48，完全没有进步。数据应该没问题，这是怎么回事？"))


if __name__ == "__main__":
    main()
