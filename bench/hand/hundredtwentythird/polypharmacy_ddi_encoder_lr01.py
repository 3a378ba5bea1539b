"""Drug–drug interaction severity of a patient's medication list (a transformer encoder),
synthetic pharmacy profiles: a list of 4–12 active drugs out of a 64-drug formulary, padded to
12; the label is the worst interaction on the list — none, moderate (one of 12 moderate pairs,
e.g. an SSRI with tramadol) or major (one of 8 major pairs, e.g. warfarin with an NSAID) —
drawn a third each, the rest of the list filled with drugs that make no listed pair. Order on
the list carries nothing (no positions: a profile is a set). Embedding 48, 2 encoder layers
(``nn.TransformerEncoderLayer`` defaults: post-norm, 4 heads, feed-forward 96, dropout 0.1),
masked mean pool, a linear head for 3 classes. Adam, batch 64, 10 epochs of 3000 profiles; a
tab-separated log at step 1 and every 10 steps (the train loss of that step), and val loss /
accuracy at each epoch's end.
Bug: ``lr=0.1`` with no warm-up — the user copied the learning rate from a gradient-boosting
config's "learning_rate: 0.1"; the loss goes up from ln 3 in the first steps (1.16–1.18 at
steps 20–30) and then sits at chance for all 470 steps (1.09–1.11), each epoch's model
predicting one class for every profile (val accuracy 0.305–0.37, val loss 1.10 at the end).
The control (``lr=1e-3``): val accuracy 0.56 after epoch 1, 0.988 at the end, val loss 0.040.
(Drafts on the way: a pre-norm encoder at lr 0.05 and at 0.1 spiked to a loss of 8 and 18 and
then still learned to 0.63 / 0.59; post-norm at lr 0.05 crept off chance to 0.44. The
encoder is now the default post-norm layer and the lr 0.1.)"""
import torch
import torch.nn as nn
import torch.nn.functional as F

V, L = 64, 12
PAD = V
SEVERITY = ["none", "moderate", "major"]


def pairs(g):
    perm = torch.randperm(V, generator=g)
    major = perm[:16].view(8, 2)
    moderate = perm[16:40].view(12, 2)
    return major, moderate


def profiles(n, g, major, moderate):
    bad = set()
    for a, b in torch.cat([major, moderate]).tolist():
        bad.add((a, b))
        bad.add((b, a))
    y = torch.randint(0, 3, (n,), generator=g)
    x = torch.full((n, L), PAD)
    for i in range(n):
        k = int(torch.randint(4, L + 1, (1,), generator=g))
        drugs = []
        if int(y[i]) == 2:
            drugs += major[int(torch.randint(0, 8, (1,), generator=g))].tolist()
        elif int(y[i]) == 1:
            drugs += moderate[int(torch.randint(0, 12, (1,), generator=g))].tolist()
        while len(drugs) < k:
            d = int(torch.randint(0, V, (1,), generator=g))
            if d not in drugs and all((d, e) not in bad for e in drugs):
                drugs.append(d)
        order = torch.randperm(k, generator=g)
        x[i, :k] = torch.tensor(drugs)[order]
    return x, y


class DDIEncoder(nn.Module):
    def __init__(self, d=48):
        super().__init__()
        self.emb = nn.Embedding(V + 1, d, padding_idx=PAD)
        layer = nn.TransformerEncoderLayer(d, 4, 96, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(d, 3)

    def forward(self, x):
        pad = x == PAD
        h = self.encoder(self.emb(x), src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).float()
        return self.head((h * keep).sum(1) / keep.sum(1))


def build():
    torch.manual_seed(0)
    return DDIEncoder()


def main():
    from _hundredtwentythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    major, moderate = pairs(g)
    x, y = profiles(3600, g, major, moderate)
    xtr, ytr, xva, yva = x[:3000], y[:3000], x[3000:], y[3000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=0.1)
    gs = torch.Generator().manual_seed(1)
    step = 0
    with open(out / "ddi_train.tsv", "w") as f:
        f.write("step\tepoch\tloss\tval_loss\tval_acc\n")
        for epoch in range(1, 11):
            model.train()
            perm = torch.randperm(3000, generator=gs)
            for i in range(0, 3000, 64):
                idx = perm[i:i + 64]
                loss = F.cross_entropy(model(xtr[idx]), ytr[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 10 == 0 or step == 1:
                    f.write(f"{step}\t{epoch}\t{loss.item():.4f}\t\t\n")
            model.eval()
            with torch.no_grad():
                lo = model(xva)
            vl = F.cross_entropy(lo, yva).item()
            va = (lo.argmax(1) == yva).float().mean().item()
            f.write(f"{step}\t{epoch}\t{loss.item():.4f}\t{vl:.4f}\t{va:.4f}\n")
            print(epoch, step, round(loss.item(), 4), round(vl, 4), round(va, 4),
                  torch.bincount(lo.argmax(1), minlength=3).tolist())
    torch.save({"encoder": model.state_dict(), "adam": opt.state_dict(), "step": step,
                "severity": SEVERITY, "formulary_size": V}, out / "ddi_encoder.pt")
    finish(out, __file__, (xva[:128], yva[:128]), causes=["lr_too_high"],
           checkpoint="ddi_encoder.pt", log="ddi_train.tsv",
           what="drug-interaction transformer encoder trained with Adam lr 0.1, no warm-up",
           complaint="The interaction-severity transformer doesn't learn anything. Loss starts at "
                     "1.13, goes up to 1.18 and then stays around 1.09-1.11 for all 10 epochs; "
                     "validation accuracy is 0.30-0.37 and the model says the same severity for "
                     "every patient (a different one each epoch). The rule is just 'is one of "
                     "these 20 pairs on the list', it should be easy.")


if __name__ == "__main__":
    main()
