"""Plain torch, picking the best of several seeds: an MLP with LayerNorm predicts whether a
haiku contest entry makes the judges' shortlist from 12 standardised numbers the contest
office scores per entry (5-7-5 fit, kigo strength, cutting-word use, image concreteness,
surprise of the last line, rare-word share, entrant's past shortlists, length in characters,
reading-aloud score, theme match, submission day, number of revisions). Shortlisting depends
nonlinearly on a few of them (kigo × image concreteness, the last line's surprise, a bad 5-7-5
fit) and is noisy: about 75 % is what the features allow.
12 seeds of Linear(12→64)-LayerNorm-ReLU-Linear(64→64)-ReLU-Linear(64→1), each trained 12
epochs with Adam 3e-3, batch 32, BCE-with-logits, on 600 entries; after every epoch the
snapshot is checked on the validation entries and the best (seed, epoch) so far is kept;
at the end it is reloaded and scored once on 1000 held-out entries.
TSV log ``seed_search.tsv`` (seed, epoch, train_bce, val_bce, val_acc; a last row ``final``
with the test accuracy); checkpoint ``net`` / ``opt`` / ``seed`` / ``epoch`` / ``val_acc``.
The bug: ``N_VAL = 16`` — 144 snapshots ranked on 16 entries. Winner seed 5, epoch 6, validation
accuracy 0.875 (14 of 16); test accuracy 0.753. Control (``sed 's/^N_VAL = 16/N_VAL = 600/'``):
winner seed 11, epoch 7, validation accuracy 0.765, test accuracy 0.743: the validation
number now says what the model does on new entries.
"""
import copy

import torch
import torch.nn as nn

N_VAL = 16


def entries(n, g):
    x = torch.randn(n, 12, generator=g)
    s = (0.8 * x[:, 1] * (x[:, 3] > 0).float() + 0.6 * torch.tanh(2 * x[:, 4])
         - 0.7 * torch.relu(-x[:, 0]) + 0.3 * x[:, 6] - 0.2 * x[:, 9] ** 2)
    p = torch.sigmoid(2.2 * s)
    return x, (torch.rand(n, generator=g) < p).float().unsqueeze(1)


def make_net():
    return nn.Sequential(nn.Linear(12, 64), nn.LayerNorm(64), nn.ReLU(), nn.Linear(64, 64),
                         nn.ReLU(), nn.Linear(64, 1))


def build():
    torch.manual_seed(0)
    return make_net()


def main():
    from _twohundredthirtieth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = entries(600, g)
    xte, yte = entries(1000, g)
    xva, yva = entries(N_VAL, torch.Generator().manual_seed(7))  # this year's entries
    print("shortlist rate", ytr.mean().item())
    loss_fn = nn.BCEWithLogitsLoss()
    best = None
    rows = ["seed\tepoch\ttrain_bce\tval_bce\tval_acc"]
    for seed in range(12):
        torch.manual_seed(seed)
        net = make_net()
        opt = torch.optim.Adam(net.parameters(), lr=3e-3)
        train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                            batch_size=32, shuffle=True)
        for epoch in range(1, 13):
            net.train()
            tot = 0.0
            for xb, yb in train:
                loss = loss_fn(net(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(xb)
            net.eval()
            with torch.no_grad():
                lv = net(xva)
            acc = ((lv > 0).float() == yva).float().mean().item()
            rows.append(f"{seed}\t{epoch}\t{tot / 600:.4f}\t{loss_fn(lv, yva).item():.4f}"
                        f"\t{acc:.4f}")
            if best is None or acc > best["val_acc"]:
                best = {"net": copy.deepcopy(net.state_dict()),
                        "opt": copy.deepcopy(opt.state_dict()), "seed": seed,
                        "epoch": epoch, "val_acc": acc}
    winner = make_net()
    winner.load_state_dict(best["net"])
    winner.eval()
    with torch.no_grad():
        test_acc = ((winner(xte) > 0).float() == yte).float().mean().item()
    rows.append(f"final\t{best['seed']}\t{best['epoch']}\ttest_acc\t{test_acc:.4f}")
    (out / "seed_search.tsv").write_text("\n".join(rows) + "\n")
    print("winner", best["seed"], best["epoch"], "val", best["val_acc"], "test", test_acc)
    torch.save(best, out / "shortlist_mlp.pt")
    finish(out, __file__, (xte[:64], yte[:64]), causes=["validation_overfit"],
           checkpoint="shortlist_mlp.pt", log="seed_search.tsv",
           what="haiku shortlist MLP picked from 144 seed/epoch snapshots on 16 validation entries",
           complaint=("We trained 12 seeds of the shortlist predictor and kept the best "
                      "checkpoint: it scored 87.5% on validation, but on 1000 past "
                      "contest entries it only gets 75.3%. The validation entries are "
                      "from this year's contest - did the judges' taste change, or is "
                      "something wrong with the model?"))


if __name__ == "__main__":
    main()
