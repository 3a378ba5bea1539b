"""Plain torch: an LSTM tags each house call of a chapman's day with what he sold there, so
the pedlars' guild can reckon a pack's takings from the round book, which lists only the
houses and whether the door was answered: nothing, ribbons, an almanac, papers of pins, a
ballad sheet. Every day he sets out with the same pack (3 ribbons, 2 almanacs, 4 papers of
pins, 3 ballads). Each kind of house (farmhouse, cottage, inn, parsonage, forge, mill,
shop, manor) buys its first choice if he still has it, else its second, else nothing; a door
not answered is no sale. So a call's tag depends on everything he has sold earlier that
day. A day is 4-48 calls (most days short: bad weather, long lanes), padded to 48 with house
id 0.
Input per call: (house id, door answered). Model: Embedding(9, 16, padding_idx=0) plus the
answered flag, LSTM(17→48), Linear 48→5 on every call (per-step, 5 classes); cross-entropy,
SGD 0.3 (momentum 0.9, nesterov), batch 32, 14 epochs, 2000 days, validation on 400.
The bug: the loss (``tag_loss``, for training and validation) is taken over every slot of
the padded batch, ``return crit(logits.reshape(-1, 5), tags.reshape(-1))  # every call
slot in the batch``, the pad slots tagged 0 ("nothing sold") like a closed door, so 62 % of the terms are padding, easy and
always right, and the real calls get a third of the gradient: the logged loss looks low
(train CE 0.49 → 0.021, val CE 0.755 → 0.024, val accuracy over all slots 0.853 → 0.991)
while the real calls lag: sale recall 0.15 / 0.86 / 0.85 after epochs 0-2 and 0.961 at
the end, accuracy on real calls 0.58 → 0.975 (control, ``return crit(logits[kinds[..., 0]
!= 0], tags[kinds[..., 0] != 0])``: sale recall 0.72 / 0.83 / 0.92 and 0.987 at the end,
accuracy on real calls 0.81 → 0.991, so 2.5 % against 0.9 % of real calls wrong).
Log: CSV per epoch ``round_tags.csv`` (``epoch`` / ``train_ce`` / ``val_ce`` /
``val_acc`` / ``val_sale_recall``; loss and accuracy over the same slots as training);
checkpoint ``tagger_day.pt`` with keys ``lstm_tagger`` / ``sgd_state`` / ``epoch`` /
``houses`` / ``wares`` / ``pack``."""
import csv

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

HOUSES = ["pad", "farmhouse", "cottage", "inn", "parsonage", "forge", "mill", "shop", "manor"]
WARES = ["nothing", "ribbons", "almanac", "pins", "ballad"]
PACK = [0, 3, 2, 4, 3]
# first and second choice of each kind of house
CHOICE = {1: (2, 3), 2: (3, 4), 3: (4, 1), 4: (2, 4), 5: (3, 2), 6: (2, 1), 7: (1, 3), 8: (1, 2)}
MAXLEN = 48


def round_books(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    kinds = torch.zeros(n, MAXLEN, 2, dtype=torch.long)
    tags = torch.zeros(n, MAXLEN, dtype=torch.long)
    lens = (4 + 44 * r(n) ** 2).long()
    for i in range(n):
        stock = list(PACK)
        for t in range(int(lens[i])):
            h = int(torch.randint(1, 9, (1,), generator=g))
            answered = bool(r(1) < 0.8)
            kinds[i, t, 0], kinds[i, t, 1] = h, int(answered)
            if not answered:
                continue
            for w in CHOICE[h]:
                if stock[w] > 0:
                    stock[w] -= 1
                    tags[i, t] = w
                    break
    return kinds, tags


class CallTagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(9, 16, padding_idx=0)
        self.lstm = nn.LSTM(17, 48, batch_first=True)
        self.head = nn.Linear(48, 5)

    def forward(self, kinds):
        x = torch.cat([self.emb(kinds[..., 0]), kinds[..., 1:].float()], -1)
        h, _ = self.lstm(x)
        return self.head(h)


def build():
    torch.manual_seed(0)
    return CallTagger()


def tag_loss(crit, logits, kinds, tags):
    return crit(logits.reshape(-1, 5), tags.reshape(-1))  # every call slot in the batch


def main():
    from _threehundredninetyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ktr, ttr = round_books(2000, g)
    kva, tva = round_books(400, g)
    print("pad share", (ktr[..., 0] == 0).float().mean().item(),
          "tags", torch.bincount(ttr[ktr[..., 0] != 0]).tolist())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(ktr, ttr), batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.3, momentum=0.9, nesterov=True)
    crit = nn.CrossEntropyLoss()
    with open(out / "round_tags.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_ce", "val_ce", "val_acc", "val_sale_recall"])
        for epoch in range(14):
            model.train()
            tot = 0.0
            for kinds, tags in dl:
                logits = model(kinds)
                loss = tag_loss(crit, logits, kinds, tags)
                opt.zero_grad()
                loss.backward()
                opt.step()
                tot += loss.item() * len(kinds)
            model.eval()
            with torch.no_grad():
                logits = model(kva)
                vloss = tag_loss(crit, logits, kva, tva)
            pred = logits.argmax(-1)
            real = kva[..., 0] != 0
            vacc = (pred == tva).float().mean()
            sold = tva != 0
            row = [tot / len(ktr), vloss.item(), vacc.item(),
                   (pred[sold] == tva[sold]).float().mean().item()]
            log.writerow([epoch] + [f"{v:.6g}" for v in row])
            print(epoch, row, "real-call acc", (pred[real] == tva[real]).float().mean().item())
    torch.save({"lstm_tagger": model.state_dict(), "sgd_state": opt.state_dict(), "epoch": 14,
                "houses": HOUSES, "wares": WARES, "pack": PACK}, out / "tagger_day.pt")
    finish(out, __file__, (kva[:64], tva[:64]), causes=["loss_ignores_padding"],
           checkpoint="tagger_day.pt", log="round_tags.csv",
           what="LSTM tagging each house call of a chapman's day with the ware sold; the loss"
                " counts the padded slots of every batch as 'nothing sold'",
           complaint="Round-book tagger for our chapmen: the log says val accuracy 99 % and"
                     " val loss 0.024, but when I check the tagged days against the pack"
                     " tallies about 4 % of the sales are missed or put down as the wrong ware,"
                     " and after the first epoch it had tagged nearly every call 'nothing"
                     " sold' (sale recall 15 %) although the loss was already under 0.5.")


if __name__ == "__main__":
    main()
