"""Plain torch: a deep MLP tells a candle maker, before a test pour, whether a container
candle will tunnel (burn a well down the middle and leave a wax wall) on its first 3-hour
burn, from the pour sheet: wax (soy, paraffin, coconut-apricot, beeswax; one-hot), jar
inner diameter (6-10 cm), wick size in its series (1-10), fragrance load (5-12 %), dye
(0-1 %), wax melt point (46-64 °C) and room temperature at the test (17-25 °C). The rule
behind it is the wick-table one: a wick's heat output grows with its size (×1.25 per size)
and with how freely the wax feeds it (soy and beeswax feed worse, fragrance and dye clog),
the heat needed grows with the jar area and with the melt point above room; the candle
tunnels when the melt pool does not reach the wall in 3 h, output / need under 1 (within a
little jitter from the pour).
Input: (10,) standardised sheet. Model: ``DEPTH = 10`` blocks of Linear 32 + activation
(He normal init, zero bias), Linear 32→1 (a logit); BCE-with-logits, SGD 0.05 with momentum
0.9, batch 128, 25 epochs, 3000 pours, validation on 800.
The bug: ``ACT = nn.Sigmoid`` in every one of the 10 hidden layers: each layer scales the
gradient by at most 0.25 times its weights, so the first layer's gradient norm is about
1e-6 (0.1-0.8 in the control) and the net sits at the tunnel share (numbers in the README
table; control ``ACT = nn.ReLU``).
Log: JSON lines ``wick_log.jsonl`` with ``{"type": "train", step, epoch, bce}`` every 5
steps and ``{"type": "val", epoch, val_bce, val_acc, val_recall_tunnel}`` per epoch;
checkpoint ``checkpoints/wick_mlp_final.pt`` with keys ``mlp`` / ``optim`` / ``epoch`` /
``norm`` (``{"mean", "std"}``) / ``waxes``."""
import json

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

WAXES = ["soy", "paraffin", "coconut_apricot", "beeswax"]
FEED = torch.tensor([0.8, 1.0, 0.9, 0.7])  # how freely each wax feeds the wick
DEPTH = 10
ACT = nn.Sigmoid  # squashing units keep the hidden values bounded


def pours(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    wax = torch.randint(0, 4, (n,), generator=g)
    diam = 6 + 4 * r(n)
    size = torch.randint(1, 11, (n,), generator=g).float()
    frag = 0.05 + 0.07 * r(n)
    dye = 0.01 * r(n)
    melt = 46 + 18 * r(n)
    room = 17 + 8 * r(n)
    output = 1.25 ** size * FEED[wax] * (1 - 2.5 * (frag - 0.05)) * (1 - 20 * dye)
    need = 0.035 * diam ** 2 * (melt - room + 10) / 40
    tunnel = (output / need * (1 + 0.08 * torch.randn(n, generator=g))) < 1
    x = torch.cat([nn.functional.one_hot(wax, 4).float(),
                   torch.stack([diam, size, frag * 100, dye * 100, melt, room], 1)], 1)
    return x, tunnel.float().unsqueeze(1)


def build():
    torch.manual_seed(0)
    layers, width = [], 10
    for _ in range(DEPTH):
        lin = nn.Linear(width, 32)
        nn.init.kaiming_normal_(lin.weight)  # He init, as for any deep stack
        nn.init.zeros_(lin.bias)
        layers += [lin, ACT()]
        width = 32
    return nn.Sequential(*layers, nn.Linear(32, 1))


def main():
    from _threehundredthirtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    rtr, ytr = pours(3000, g)
    rva, yva = pours(800, g)
    mean, std = rtr.mean(0), rtr.std(0)
    xtr, xva = (rtr - mean) / std, (rva - mean) / std
    print("tunnel share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    dl = DataLoader(TensorDataset(xtr, ytr), batch_size=128, shuffle=True)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    crit = nn.BCEWithLogitsLoss()
    step = 0
    with open(out / "wick_log.jsonl", "w") as log:
        for epoch in range(25):
            model.train()
            for xb, yb in dl:
                loss = crit(model(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                if step % 5 == 0:
                    log.write(json.dumps({"type": "train", "step": step, "epoch": epoch,
                                          "bce": round(loss.item(), 6)}) + "\n")
                step += 1
            model.eval()
            with torch.no_grad():
                logit = model(xva)
            pred = (logit > 0).float()
            row = {"type": "val", "epoch": epoch, "val_bce": round(crit(logit, yva).item(), 6),
                   "val_acc": round((pred == yva).float().mean().item(), 6),
                   "val_recall_tunnel": round(pred[yva == 1].mean().item(), 6)}
            log.write(json.dumps(row) + "\n")
            print(row, f"{model[0].weight.grad.norm().item():.2e}")
    (out / "checkpoints").mkdir(exist_ok=True)
    torch.save({"mlp": model.state_dict(), "optim": opt.state_dict(), "epoch": 25,
                "norm": {"mean": mean, "std": std}, "waxes": WAXES},
               out / "checkpoints" / "wick_mlp_final.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["vanishing_gradients"],
           checkpoint="checkpoints/wick_mlp_final.pt", log="wick_log.jsonl",
           what="10-layer sigmoid MLP predicting whether a container candle tunnels from its"
                " pour sheet; the gradient dies on the way down and the net stays at the prior",
           complaint=("Our tunnel predictor for test pours won't learn anything. Training BCE "
                      "wobbles between 0.69 and 0.73 from the first step to the last of 25 "
                      "epochs, val BCE is 0.693 every epoch, and val accuracy flips between "
                      "0.484 and 0.516, i.e. it calls every candle a tunneler or none of them. "
                      "The data isn't noisy, a wick chart gets most of these right by hand."))


if __name__ == "__main__":
    main()
