"""Word-sense distributions for a dictionary project (lexicography): for an ambiguous headword,
an MLP reads a bag of context words (300-word vocabulary, 24 tokens around the headword,
counts scaled by 1/4) and predicts how 7 lexicographers split their votes over its 6 senses,
the target being the vote distribution (label-distribution learning: the editors want the
share of each sense, not only the majority). Synthetic contexts: each sense has its own topic
over the vocabulary (Dirichlet 0.1) plus a common background; a context mixes 1–2 senses with
weights w, and the 7 votes are drawn from w (so the targets are soft and often split).
Linear 300→96, ReLU, dropout 0.2, Linear 96→6. Adam 1e-3, batch 64, 12 epochs of 2400
contexts; a tab-separated log per epoch: the training criterion on train and validation, the
majority-sense accuracy and the cross-entropy against the vote distribution (``F.cross_entropy``
with probability targets) on validation.
Bug: ``criterion = nn.KLDivLoss(reduction="batchmean")`` called as
``criterion(F.softmax(logits, -1), votes)`` — probabilities where KLDivLoss wants
log-probabilities. The criterion becomes Σ v·log v − Σ v·p, whose minimum is not at p = v: it
pushes all the mass onto the majority sense. The "KL" is negative from the first epoch (train
−0.62 → −1.19, val −0.69 → −1.20) and keeps falling, the majority-sense accuracy is normal
(0.84), but the predicted distributions collapse (mean top probability 0.94 vs 0.79 in the
control) and the cross-entropy against the votes goes 1.51, 0.95, 0.80 (epoch 3), then *up*
every epoch to 1.30. The control (``F.log_softmax``) has KL 0.28 train / 0.33 val, vote
cross-entropy 0.787 (flat from epoch 4), majority accuracy 0.845."""
import torch
import torch.nn as nn
import torch.nn.functional as F

V, K, CTX, ANNOT = 300, 6, 24, 7
SENSES = ["bank.n.01 (river)", "bank.n.02 (finance)", "bank.n.03 (store)", "bank.v.01 (tilt)",
          "bank.v.02 (rely)", "bank.n.04 (row)"]


def contexts(n, g):
    topics = torch.distributions.Dirichlet(torch.full((V,), 0.1)).sample((K,))
    background = torch.distributions.Dirichlet(torch.full((V,), 1.0)).sample()
    x = torch.zeros(n, V)
    votes = torch.zeros(n, K)
    for i in range(n):
        w = torch.zeros(K)
        a = int(torch.randint(0, K, (1,), generator=g))
        if float(torch.rand(1, generator=g)) < 0.5:
            b = int(torch.randint(0, K, (1,), generator=g))
            m = 0.3 + 0.4 * float(torch.rand(1, generator=g))
            w[a] += m
            w[b] += 1 - m
        else:
            w[a] = 1.0
        words = torch.multinomial(0.75 * (w @ topics) + 0.25 * background, CTX, True,
                                  generator=g)
        x[i] = torch.bincount(words, minlength=V).float() / 4
        votes[i] = torch.bincount(torch.multinomial(0.9 * w + 0.1 / K, ANNOT, True,
                                                    generator=g), minlength=K).float() / ANNOT
    return x, votes


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(V, 96), nn.ReLU(), nn.Dropout(0.2), nn.Linear(96, K))


def main():
    from _hundredtwentyninth import finish, out_dir
    out = out_dir(__file__)
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    x, votes = contexts(3000, g)
    xtr, vtr, xva, vva = x[:2400], votes[:2400], x[2400:], votes[2400:]
    student = build()
    opt = torch.optim.Adam(student.parameters(), lr=1e-3)
    criterion = nn.KLDivLoss(reduction="batchmean")
    log = open(out / "sense_votes.tsv", "w")
    log.write("epoch\tkl_train\tkl_val\tmajority_acc_val\tvote_ce_val\n")
    for epoch in range(1, 13):
        student.train()
        perm = torch.randperm(len(xtr))
        tot = 0.0
        for i in range(0, len(xtr), 64):
            idx = perm[i:i + 64]
            logits = student(xtr[idx])
            loss = criterion(F.softmax(logits, -1), vtr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += loss.item() * len(idx)
        student.eval()
        with torch.no_grad():
            lv = student(xva)
            kl_val = criterion(F.softmax(lv, -1), vva).item()
            acc = (lv.argmax(1) == vva.argmax(1)).float().mean().item()
            ce = F.cross_entropy(lv, vva).item()
        line = f"{epoch}\t{tot / len(xtr):.4f}\t{kl_val:.4f}\t{acc:.4f}\t{ce:.4f}"
        log.write(line + "\n")
        print(line, lv.softmax(-1).max(-1).values.mean().item())
    log.close()
    torch.save({"student": student.state_dict(), "optimizer_state": opt.state_dict(),
                "epoch": 12, "senses": SENSES, "annotators": ANNOT},
               out / "sense_student.pth")
    finish(out, __file__, (xva[:64], vva[:64]), causes=["kl_div_wrong_inputs"],
           checkpoint="sense_student.pth", log="sense_votes.tsv",
           what="word-sense vote-distribution MLP, KLDivLoss fed softmax probabilities",
           complaint="The KL divergence of my sense-distribution model is negative (-1.19 on "
                     "train, -1.20 on validation after 12 epochs) and still going down, which "
                     "I thought KL could not do. Majority-sense accuracy is fine at 0.84, but "
                     "the predicted sense shares are nothing like the editors' votes: the "
                     "cross-entropy to the votes went from 0.80 at epoch 3 up to 1.30.")


if __name__ == "__main__":
    main()
