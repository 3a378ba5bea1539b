"""Plain torch: a small transformer encoder names the season of a haiku contest entry from its
17 word tokens (vocabulary 40: 4 groups of 6 season words, the kigo, plus 16 neutral words).
An entry carries one or two season words of its season among neutral words, and 30 % also
carry one season word of another season (a memory of spring in an autumn haiku); the label is
the season with the most words. Embedding(40, 32) + learned positions, 2
``TransformerEncoderLayer`` (2 heads, feed-forward 64), mean pool, Linear(32→4); Adam, batch
32, 8 epochs of 960 entries; per-step TSV (``step``, ``epoch``, ``loss``) with ``val_loss`` /
``val_acc`` filled at each epoch's last step; checkpoint ``state_dict`` / ``optimizer`` /
``step``.
The bug: ``LR = 1e-1`` for Adam (the number came from an SGD recipe). The per-step loss jumps to
4.09 at step 3, then stays at 1.29–1.79 (step 21 on); val accuracy 0.21–0.27 every epoch (0.21 at the end),
val loss 1.39–1.52. Control (``sed 's/^LR = 1e-1/LR = 1e-3/'``): val accuracy 0.36, 0.52, 0.59,
0.88, 0.91, 0.95, 0.97, 0.98, val loss 1.34 → 0.088.
"""
import torch
import torch.nn as nn

LR = 1e-1


def entries(n, g):
    y = torch.randint(0, 4, (n,), generator=g)
    x = 24 + torch.randint(0, 16, (n, 17), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 3, (1,), generator=g))
        pos = torch.randperm(17, generator=g)[:3]
        for j in range(k):
            x[i, pos[j]] = 6 * y[i] + int(torch.randint(0, 6, (1,), generator=g))
        if k == 2 and float(torch.rand(1, generator=g)) < 0.3:
            other = (int(y[i]) + int(torch.randint(1, 4, (1,), generator=g))) % 4
            x[i, pos[2]] = 6 * other + int(torch.randint(0, 6, (1,), generator=g))
    return x, y


class HaikuEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(40, 32)
        self.pos = nn.Parameter(torch.zeros(1, 17, 32))
        layer = nn.TransformerEncoderLayer(32, 2, 64, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.enc(self.emb(x) + self.pos).mean(1))


def build():
    torch.manual_seed(0)
    return HaikuEncoder()


def main():
    from _twohundredthirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = entries(1216, g)
    xva, yva = x[960:], y[960:]
    torch.manual_seed(1)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x[:960], y[:960]),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    loss_fn = nn.CrossEntropyLoss()
    rows = ["step\tepoch\tloss\tval_loss\tval_acc"]
    step = 0
    for epoch in range(1, 9):
        model.train()
        for i, (xb, yb) in enumerate(train):
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            vl = va = ""
            if i == len(train) - 1:
                model.eval()
                with torch.no_grad():
                    lv = model(xva)
                vl = f"{loss_fn(lv, yva).item():.4f}"
                va = f"{(lv.argmax(1) == yva).float().mean().item():.4f}"
                print(epoch, f"{loss.item():.4f}", vl, va)
                model.train()
            rows.append(f"{step}\t{epoch}\t{loss.item():.4f}\t{vl}\t{va}")
    (out / "season_log.tsv").write_text("\n".join(rows) + "\n")
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict(), "step": step},
               out / "season_encoder.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_high"],
           checkpoint="season_encoder.pt", log="season_log.tsv",
           what="haiku season transformer encoder, Adam at lr 0.1",
           complaint=("I built a small transformer to sort our haiku contest entries by "
                      "season (4 classes, 960 training entries, the season words are "
                      "right there in the text). After 8 epochs val accuracy is 0.21 and "
                      "val loss is stuck at 1.39-1.41, train loss sits around 1.38-1.39 "
                      "after jumping to 4 in the first steps. It's basically guessing. Is"
                      " a transformer just the wrong model for this?"))


if __name__ == "__main__":
    main()
