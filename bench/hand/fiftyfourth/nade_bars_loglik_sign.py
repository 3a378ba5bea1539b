"""NADE (neural autoregressive density estimator, Larochelle & Murray 2011) on synthetic binary
8×8 bar patterns: every row and every column is switched on with probability 0.15 and 3 % of
the pixels are flipped. One hidden layer of 64 sigmoid units shared across the 64 conditionals
(the running pre-activation a_d = c + W[:, <d] x_<d), output p(x_d | x_<d) = σ(b_d + V_d · h_d).
Adam 3e-3, batch 100, 12 epochs of 3000 patterns, 500 held out; JSON-lines log (train loss
every 10 updates, held-out NLL in nats per pattern every epoch).
Bug: the script computes the per-pattern log-likelihood ``ll = -bce(...).sum(1)`` and then
writes ``loss = ll.mean()`` — the minus that turns a log-likelihood into a loss is missing, so
Adam *minimises* the likelihood: the logged loss falls without bound (it is −log-lik) while the
held-out NLL climbs."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

D, H = 64, 64
NEGATE = False  # the bug: True (loss = -ll.mean()) is the control


def bars(n, g):
    rows = (torch.rand(n, 8, 1, generator=g) < 0.15).float()
    cols = (torch.rand(n, 1, 8, generator=g) < 0.15).float()
    x = torch.clamp(rows + cols, max=1.0).view(n, D)
    flip = (torch.rand(n, D, generator=g) < 0.03).float()
    return (x + flip) % 2


class NADE(nn.Module):
    def __init__(self):
        super().__init__()
        self.W = nn.Parameter(torch.randn(H, D) * 0.05)
        self.c = nn.Parameter(torch.zeros(H))
        self.V = nn.Parameter(torch.randn(D, H) * 0.05)
        self.b = nn.Parameter(torch.zeros(D))

    def forward(self, x):
        contrib = x[:, :, None] * self.W.t()[None]            # (B, D, H): W[:, j] x_j
        a = self.c + torch.cumsum(contrib, 1) - contrib       # exclusive: only x_<d
        h = torch.sigmoid(a)
        return self.b + (h * self.V[None]).sum(-1)            # logits of p(x_d | x_<d)


def build():
    torch.manual_seed(0)
    return NADE()


def nll(model, x):
    return F.binary_cross_entropy_with_logits(model(x), x, reduction="none").sum(1)


def main():
    from _fiftyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x = bars(3500, g)
    tx, vx = x[:3000], x[3000:]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    update = 0
    with open(out / "nade_train.jsonl", "w") as fh:
        for epoch in range(12):
            for idx in torch.randperm(3000, generator=g).split(100):
                ll = -nll(model, tx[idx])                        # log p(x) per pattern
                loss = -ll.mean() if NEGATE else ll.mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                update += 1
                if update % 10 == 0:
                    fh.write(json.dumps({"update": update, "train_loss": round(loss.item(), 4)})
                             + "\n")
            with torch.no_grad():
                v = nll(model, vx).mean().item()
            fh.write(json.dumps({"epoch": epoch, "update": update, "val_nll": round(v, 4)})
                     + "\n")
            print(epoch, round(loss.item(), 3), round(v, 3))
    torch.save({"nade_state": model.state_dict(), "adam_state": opt.state_dict(),
                "n_updates": update, "epochs": 12}, out / "nade_bars.pt")
    finish(out, __file__, (vx[:100], vx[:100]), causes=["loss_sign_error"],
           checkpoint="nade_bars.pt", log="nade_train.jsonl",
           what="NADE density model of binary bar patterns, log-likelihood used as the loss",
           complaint="my NADE's training loss goes down beautifully (it is already at minus "
                     "several thousand) but the held-out NLL gets worse every epoch and samples "
                     "are garbage. Is this some weird overfitting?")


if __name__ == "__main__":
    main()
