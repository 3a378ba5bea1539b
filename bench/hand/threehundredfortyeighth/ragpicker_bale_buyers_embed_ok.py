"""Plain torch: an embedding model tells a rag merchant's yard which buyers will take a sorted
bale, so the ragpickers' sacks can be graded into bales that sell. A bale is described by
categorical tags (fibre of 6, colour of 5, make of 4: woven / knit / felt / mixed, condition
of 4: clean / soiled / oily / mouldy, source of 5: house clearance, tailor's clippings, street
collection, hospital laundry, mill waste) and its weight. Five kinds of buyer, each with its
trade's rule: the paper mill takes white or light cotton and linen, clean, not knit; the
shoddy mill takes wool knit or woven, any colour, not mouldy; the flock maker takes any fibre
felted or mixed, not oily; the wiping-cloth firm takes cotton knit or woven in any colour,
clean or oily but not mouldy, never hospital laundry; the export grader takes clean, whole
house-clearance or tailor's clippings of any fibre but synthetics. Buyers bend their rules
now and then (5 % of labels flipped). Multi-label: 5 outputs.
Model: one embedding table per tag (8 wide each) concatenated with log weight, Linear 41→64
+ ReLU, Linear 64→5; BCE with logits, Adam 3e-3 with ExponentialLR 0.9 per epoch, batch 48,
14 epochs, 3000 bales, validation on 800.
Healthy; numbers in the README.
Log: TSV per epoch ``buyers.tsv`` (``epoch`` / ``lr`` / ``bce`` / ``val_bce`` /
``val_exact`` / ``val_f1_micro``); checkpoint ``bale_buyers.pt`` with keys ``embed_mlp`` /
``opt`` / ``sched`` / ``epoch`` / ``tags`` / ``buyers``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

TAGS = {"fibre": ["cotton", "linen", "wool", "silk", "polyester", "nylon"],
        "colour": ["white", "light", "dark", "black", "mixed"],
        "make": ["woven", "knit", "felt", "mixed"],
        "condition": ["clean", "soiled", "oily", "mouldy"],
        "source": ["house", "tailor", "street", "hospital", "mill"]}
BUYERS = ["paper_mill", "shoddy_mill", "flock", "wipers", "export"]


def bales(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    c = torch.stack([torch.randint(0, len(v), (n,), generator=g) for v in TAGS.values()], 1)
    fib, col, make, cond, src = c.T
    kg = 50 + 250 * r(n)
    cell = (fib == 0) | (fib == 1)
    paper = cell & (col <= 1) & (cond == 0) & (make != 1)
    shoddy = (fib == 2) & (make <= 1) & (cond != 3)
    flock = (make >= 2) & (cond != 2)
    wipers = (fib == 0) & (make <= 1) & ((cond == 0) | (cond == 2)) & (src != 3)
    export = (cond == 0) & (src <= 1) & (fib <= 3)
    y = torch.stack([paper, shoddy, flock, wipers, export], 1).float()
    flip = r(n, 5) < 0.05
    y = torch.where(flip, 1 - y, y)
    return c, torch.log(kg / 100).unsqueeze(1), y


class BaleNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.ModuleList([nn.Embedding(len(v), 8) for v in TAGS.values()])
        self.mlp = nn.Sequential(nn.Linear(8 * len(TAGS) + 1, 64), nn.ReLU(), nn.Linear(64, 5))

    def forward(self, tags, kg):
        e = [m(tags[:, i]) for i, m in enumerate(self.emb)]
        return self.mlp(torch.cat(e + [kg], 1))


def build():
    torch.manual_seed(0)
    return BaleNet()


def main():
    from _threehundredfortyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ctr, ktr, ytr = bales(3000, g)
    cva, kva, yva = bales(800, g)
    print("buyer share", ytr.mean(0).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(ctr, ktr, ytr), batch_size=48, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    with open(out / "buyers.tsv", "w") as f:
        f.write("epoch\tlr\tbce\tval_bce\tval_exact\tval_f1_micro\n")
        for epoch in range(14):
            model.train()
            tot, n = 0.0, 0
            for cb, kb, yb in dl:
                loss = F.binary_cross_entropy_with_logits(model(cb, kb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot, n = tot + loss.item() * len(yb), n + len(yb)
            lr = sched.get_last_lr()[0]
            sched.step()
            model.eval()
            with torch.no_grad():
                lv = model(cva, kva)
            p = (lv > 0).float()
            tp = (p * yva).sum()
            f1 = (2 * tp / (p.sum() + yva.sum())).item()
            row = [tot / n, F.binary_cross_entropy_with_logits(lv, yva).item(),
                   (p == yva).all(1).float().mean().item(), f1]
            f.write(f"{epoch}\t{lr:.5g}\t" + "\t".join(f"{v:.5g}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"embed_mlp": model.state_dict(), "opt": opt.state_dict(),
                "sched": sched.state_dict(), "epoch": 14, "tags": TAGS, "buyers": BUYERS},
               out / "bale_buyers.pt")
    finish(out, __file__, {"inputs": cva[:64], "kg": kva[:64], "targets": yva[:64]},
           causes=[], checkpoint="bale_buyers.pt", log="buyers.tsv",
           what="embedding model naming which buyers (paper mill, shoddy, flock, wipers,"
                " export) take a rag merchant's bale from its tags, multi-label (healthy)")


if __name__ == "__main__":
    main()
