"""Plain torch: an MLP ticks a bookkeeper's four audit flags on each purchase invoice before
month-end close (multi-label): over the approver's limit, posted at a weekend, VAT charged
at a rate other than the one the supplier's goods carry (more than half a point off), and a
possible duplicate (same supplier, same amount within 30 days already on the ledger). 12
inputs per invoice: log10 amount, log10 approver limit, posting weekday (one-hot, 7), VAT
rate charged (%), VAT rate expected (%), earlier same-supplier same-amount invoices in 30
days; the flags follow those rules, with a few hand-ticked exceptions (2 %). The audit
export codes its tick boxes as 1 = not ticked, 2 = ticked, and the targets are read as the
export has them. Input: (12,) standardised (weekday one-hot left as is). Model: 12→64→ReLU→64
→ReLU→4; BCE with logits, RMSprop 1e-3, batch 40, 20 epochs, 2400 invoices, validation on 600.
The bug: ``yb`` is the export's 1 / 2 coding straight into ``BCEWithLogitsLoss``, outside
its 0-1 range; every target is "at least 1", so every logit is pushed up without bound:
val BCE -20 → -9.3e3 (train BCE at step 1190 -7.0e3), every flag ticked on every invoice
from the first epoch (flagged share 1.0), so each flag's val accuracy is its ticked share
(0.345 / 0.155 / 0.16 / 0.237) (control, ``ytr, yva = ytr - 1, yva - 1`` after
``ticked``: val BCE 0.268 → 0.143, flag accuracies 0.973 / 0.975 / 0.928 / 0.983, flagged
share 0.195).
Log: TSV every 10 steps ``audit_steps.tsv`` (``step`` / ``bce``) and a TSV per epoch
``audit_epochs.tsv`` (``epoch`` / ``val_bce`` / ``val_acc_overlimit`` / ``val_acc_weekend`` /
``val_acc_vat`` / ``val_acc_dup`` / ``val_flagged_share``, named as the log in the truth);
checkpoint ``audit_flags.bin`` with keys ``mlp`` / ``rms`` / ``epoch`` / ``flags`` / ``x_mu``
/ ``x_sd``."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

FLAGS = ["over_limit", "weekend", "vat_mismatch", "possible_duplicate"]


def invoices(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    amount = 10 ** (1.5 + 3 * r(n))
    limit = torch.tensor([500.0, 2000.0, 10000.0, 50000.0])[torch.randint(0, 4, (n,), generator=g)]
    wd = torch.where(r(n) < 0.12, 5 + (r(n) < 0.5).long(), torch.randint(0, 5, (n,), generator=g))
    expected = torch.tensor([0.0, 5.0, 20.0])[torch.randint(0, 3, (n,), generator=g)]
    slip = r(n) < 0.18
    charged = torch.where(slip, torch.tensor([0.0, 5.0, 20.0])[torch.randint(0, 3, (n,), generator=g)],
                          expected) + 0.3 * (r(n) - 0.5)
    dups = torch.poisson(0.25 * torch.ones(n), generator=g)
    flags = torch.stack([amount > limit, wd >= 5, (charged - expected).abs() > 0.5, dups >= 1], 1)
    flags = flags ^ (r(n, 4) < 0.02)
    x = torch.cat([torch.stack([amount.log10(), limit.log10()], 1),
                   nn.functional.one_hot(wd, 7).float(),
                   torch.stack([charged, expected, dups], 1)], 1)
    return x, 1 + flags.float()  # export coding: 1 = not ticked, 2 = ticked


class AuditMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                                 nn.Linear(64, 4))

    def forward(self, x):
        return self.net(x)


def build():
    torch.manual_seed(0)
    return AuditMLP()


def main():
    from _threehundredfiftyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = invoices(2400, g)
    rva, yva = invoices(600, g)
    cont = [0, 1, 9, 10, 11]
    mu, sd = torch.zeros(12), torch.ones(12)
    mu[cont], sd[cont] = rtr[:, cont].mean(0), rtr[:, cont].std(0)
    xtr, xva = (rtr - mu) / sd, (rva - mu) / sd
    print("flag rates", (ytr == 2).float().mean(0).tolist())
    ticked = yva == 2  # the export's "yes"
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=40, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    crit = nn.BCEWithLogitsLoss()
    step = 0
    with open(out / "audit_steps.tsv", "w") as fs, open(out / "audit_epochs.tsv", "w") as fe:
        fs.write("step\tbce\n")
        fe.write("epoch\tval_bce\tval_acc_overlimit\tval_acc_weekend\tval_acc_vat\tval_acc_dup"
                 "\tval_flagged_share\n")
        for epoch in range(20):
            model.train()
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    fs.write(f"{step}\t{loss.item():.6g}\n")
                step += 1
            model.eval()
            with torch.no_grad():
                logits = model(xva)
            pred = logits > 0
            accs = (pred == ticked).float().mean(0).tolist()
            row = [crit(logits, yva).item(), *accs, pred.float().mean().item()]
            fe.write(f"{epoch}\t" + "\t".join(f"{v:.6g}" for v in row) + "\n")
            print(epoch, [round(v, 4) for v in row])
    torch.save({"mlp": model.state_dict(), "rms": opt.state_dict(), "epoch": 20, "flags": FLAGS,
                "x_mu": mu, "x_sd": sd}, out / "audit_flags.bin")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["label_out_of_range"],
           checkpoint="audit_flags.bin", log="audit_epochs.tsv",
           what="MLP ticking four audit flags on purchase invoices (multi-label); the export's"
                " 1 / 2 tick coding fed to BCEWithLogitsLoss as targets",
           complaint="Invoice audit-flag model: the BCE loss is negative after the first epoch and heads"
                     " to minus several thousand by epoch 20. On the 600 validation invoices it ticks"
                     " all four flags on every single invoice, so the accuracy for each flag is just"
                     " the share of ticked ones (0.35, 0.16, 0.16, 0.24) and never moves.")


if __name__ == "__main__":
    main()
