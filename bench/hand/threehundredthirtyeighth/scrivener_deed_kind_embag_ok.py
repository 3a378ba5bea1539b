"""Plain torch: an embedding-bag model sorts a scrivener's backlog of engrossed documents by
kind from the first 48 words of each, so the clerk can file and fee them: conveyance, will,
lease, bond, power of attorney. Each kind has its formulary (a conveyance "grants, bargains,
sells ... to have and to hold ... heirs and assigns"; a will "devise and bequeath ...
executors ... being of sound mind"; a lease "demise ... term of years ... yielding and paying
... yearly rent ... quarter days"; a bond "held and firmly bound ... penal sum ... the
condition of this obligation"; a power of attorney "nominate, constitute and appoint ...
lawful attorney ... ratify and confirm"); the words of a document are drawn from its kind's
formulary (a quarter to a half of them, the rest from the common stock of legal English:
witnesseth, said, parties, hereto, premises ...) and some formulary words are shared between
kinds (heirs, assigns, executors, sum, hold), so short documents can be ambiguous.
Input: (48,) word ids (vocabulary 400, 0 pad for short documents). Model: EmbeddingBag(400, 32,
mean, padding_idx 0) → LayerNorm → Linear 32→32 → GELU → Linear 32→5; cross-entropy with
label smoothing 0.05, AdamW 5e-3 (weight decay 0.01) with OneCycleLR, batch 64, 8 epochs,
3000 documents, validation on 600.
Healthy; numbers in the README.
Log: TSV per epoch ``deeds_log.tsv`` (``epoch`` / ``lr`` / ``train_nll`` / ``val_nll`` /
``val_acc`` / ``val_acc_bond``); checkpoint ``deedkind_final.pth`` with keys ``weights`` /
``opt_state`` / ``sched_state`` / ``epoch`` / ``kinds`` / ``vocab_size``."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

KINDS = ["conveyance", "will", "lease", "bond", "power_of_attorney"]
VOCAB, LEN = 400, 48


def formularies():
    """Word ids 1-199 are the common stock; each kind owns 30 ids from 200 on and borrows 8
    from its neighbours' formularies."""
    g = torch.Generator().manual_seed(1234)
    own = [torch.arange(200 + 30 * k, 230 + 30 * k) for k in range(5)]
    forms = []
    for k in range(5):
        borrowed = torch.cat([own[(k + 1) % 5][:4], own[(k + 4) % 5][4:8]])
        words = torch.cat([own[k], borrowed])
        weight = torch.cat([torch.rand(30, generator=g) + 0.3, 0.5 * torch.rand(8, generator=g)])
        forms.append((words, weight / weight.sum()))
    common = 1.0 / torch.arange(1, 200).float() ** 0.9  # Zipf over the common stock
    return forms, common / common.sum()


def documents(n, g):
    forms, common = formularies()
    kind = torch.randint(0, 5, (n,), generator=g)
    x = torch.zeros(n, LEN, dtype=torch.long)
    for i in range(n):
        words, weight = forms[int(kind[i])]
        length = int(torch.randint(16, LEN + 1, (1,), generator=g))
        share = 0.25 + 0.25 * float(torch.rand(1, generator=g))
        from_form = torch.rand(length, generator=g) < share
        fw = words[torch.multinomial(weight, length, replacement=True, generator=g)]
        cw = 1 + torch.multinomial(common, length, replacement=True, generator=g)
        x[i, :length] = torch.where(from_form, fw, cw)
    return x, kind


class DeedKind(nn.Module):
    def __init__(self):
        super().__init__()
        self.bag = nn.EmbeddingBag(VOCAB, 32, mode="mean", padding_idx=0)
        self.norm = nn.LayerNorm(32)
        self.head = nn.Sequential(nn.Linear(32, 32), nn.GELU(), nn.Linear(32, 5))

    def forward(self, x):
        return self.head(self.norm(self.bag(x)))


def build():
    torch.manual_seed(0)
    return DeedKind()


def main():
    from _threehundredthirtyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = documents(3000, g)
    xva, yva = documents(600, g)
    print("kinds", torch.bincount(ytr).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-3, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=5e-3, epochs=8,
                                                steps_per_epoch=len(dl))
    with open(out / "deeds_log.tsv", "w") as log:
        log.write("epoch\tlr\ttrain_nll\tval_nll\tval_acc\tval_acc_bond\n")
        for epoch in range(8):
            model.train()
            tot = 0.0
            for xb, yb in dl:
                loss = F.cross_entropy(model(xb), yb, label_smoothing=0.05)
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                tot += loss.item() * len(xb)
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits.argmax(1)
            row = [sched.get_last_lr()[0], tot / len(xtr), F.cross_entropy(logits, yva).item(),
                   (pred == yva).float().mean().item(), (pred[yva == 3] == 3).float().mean().item()]
            log.write("\t".join([str(epoch)] + [f"{v:.6g}" for v in row]) + "\n")
            print(epoch, row)
    torch.save({"weights": model.state_dict(), "opt_state": opt.state_dict(),
                "sched_state": sched.state_dict(), "epoch": 8, "kinds": KINDS,
                "vocab_size": VOCAB}, out / "deedkind_final.pth")
    finish(out, __file__, (xva[:64], yva[:64]), causes=[],
           checkpoint="deedkind_final.pth", log="deeds_log.tsv",
           what="embedding-bag model sorting a scrivener's engrossed documents into five kinds"
                " from their first words (healthy)")


if __name__ == "__main__":
    main()
