"""Plain torch: an embedding model prices a bone-grubber's sack at the rag-and-bone shop. Each
sack is a bag of finds, each find one token out of 24 kinds (beef bones, mutton bones,
white rags, coloured rags, old iron, brass, copper, lead, bottles, broken glass, paper, ...)
plus a token for the dealer he sold to (one of 6 marine-store dealers, each paying his own
rate, 0.8-1.2 of the going one). The dealer pays by the pound for each kind (a dealer's rate ×
the kind's price × the find's weight, which varies ±30 %); the sack's price (pence / 10) is
the target. Sacks hold 6-30 finds. Model: ``nn.EmbeddingBag(24, 16, mode="sum")`` over the
finds, an ``nn.Embedding(6, 16)`` for the dealer, their product through Linear 16→32, ReLU,
Linear 32→1; MSE, SGD with momentum 0.9, batch 64, 15 epochs, 2400 sacks, validation on 600.
The bug: ``opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)  # sums of
settings`` on summed bags of up to 30 finds: the MSE is 9.68 at step 0 and NaN by step 10,
val MSE NaN every epoch (target variance 3.2); 0.03 and 0.015 blow up the same way (control,
``lr=0.003``: val MSE 1.04 → 0.176, MAE 7.9 → 3.3 pence, train MSE 0.14 at step 560).
Log: JSON lines every 10 steps and per epoch ``sack_log.jsonl`` (``{"step", "epoch",
"mse"}`` per 10 steps, ``{"epoch", "val_mse", "val_mae_pence"}`` per epoch); checkpoint
``sack_pricer.pt`` with keys ``state`` / ``opt`` / ``epoch`` / ``kinds`` / ``n_dealers`` /
``pence_scale``."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

KINDS = ["beef_bone", "mutton_bone", "pig_bone", "horse_bone", "white_rag", "coloured_rag",
         "woollen_rag", "canvas", "old_iron", "cast_iron", "brass", "copper", "lead",
         "pewter", "zinc", "bottle", "broken_glass", "white_paper", "newspaper", "rope",
         "kitchen_fat", "dripping", "hare_skin", "cork"]
PRICE = torch.tensor([0.5, 0.4, 0.4, 0.3, 2.0, 0.6, 0.8, 0.5, 0.4, 0.3, 5.0, 6.0, 1.5, 3.0,
                      1.0, 0.3, 0.1, 1.0, 0.2, 0.4, 3.0, 3.5, 1.5, 0.8])  # pence a lb
MAXN = 30


def sacks(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    common = torch.softmax(torch.randn(24, generator=torch.Generator().manual_seed(7)), 0)
    size = 6 + (25 * r(n)).long()
    finds = torch.multinomial(common.expand(n, 24), MAXN, replacement=True, generator=g)
    offsets_mask = torch.arange(MAXN).unsqueeze(0) < size.unsqueeze(1)
    dealer = torch.randint(0, 6, (n,), generator=g)
    rate = (0.8 + 0.4 * torch.rand(6, generator=torch.Generator().manual_seed(8)))[dealer]
    lb = 1 + 0.3 * (2 * r(n, MAXN) - 1)
    pence = (PRICE[finds] * lb * offsets_mask).sum(1) * rate
    finds = torch.where(offsets_mask, finds, torch.full_like(finds, 24))  # 24: empty slot
    return finds, dealer, (pence / 10).unsqueeze(1)


class SackPricer(nn.Module):
    def __init__(self):
        super().__init__()
        self.finds = nn.EmbeddingBag(25, 16, mode="sum", padding_idx=24)
        self.dealer = nn.Embedding(6, 16)
        self.head = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, finds, dealer):
        return self.head(self.finds(finds) * self.dealer(dealer))


def build():
    torch.manual_seed(0)
    return SackPricer()


def main():
    from _threehundredsixtysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ftr, dtr, ytr = sacks(2400, g)
    fva, dva, yva = sacks(600, g)
    print("pence/10 mean, var", ytr.mean().item(), ytr.var().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(ftr, dtr, ytr), batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)  # the usual SGD settings
    step = 0
    with open(out / "sack_log.jsonl", "w") as log:
        for epoch in range(15):
            model.train()
            for fb, db, yb in dl:
                loss = F.mse_loss(model(fb, db), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 10 == 0:
                    log.write(json.dumps({"step": step, "epoch": epoch, "mse": loss.item()}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                pred = model(fva, dva)
            rec = {"epoch": epoch, "val_mse": F.mse_loss(pred, yva).item(),
                   "val_mae_pence": 10 * (pred - yva).abs().mean().item()}
            log.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"state": model.state_dict(), "opt": opt.state_dict(), "epoch": 15,
                "kinds": KINDS, "n_dealers": 6, "pence_scale": 10.0}, out / "sack_pricer.pt")
    finish(out, __file__, {"inputs": fva[:64], "dealer": dva[:64], "targets": yva[:64]},
           causes=["lr_too_high"], checkpoint="sack_pricer.pt", log="sack_log.jsonl",
           what="EmbeddingBag model pricing a bone-grubber's sack at the rag-and-bone shop;"
                " SGD lr 0.1 with momentum 0.9 on summed bags",
           complaint="Pricing model for rag-and-bone sacks: the training loss is 9.7 on the first"
                     " batch and NaN by step 10, and the validation MSE is NaN for all 15"
                     " epochs. I checked the data, there are no NaNs or infs in the inputs or"
                     " the prices.")


if __name__ == "__main__":
    main()
