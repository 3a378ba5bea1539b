"""Plain torch: a small transformer encoder names what went on during a bunkering transfer from
32 readings of the barge's mass-flow meter log (volume flow, density, meter drive gain,
tank sounding gain): a clean transfer, a "cappuccino" delivery (air blown into the line, so
density dips and the drive gain and apparent volume rise), water in the fuel (density steps
up part-way), or a short delivery (the metered volume runs ahead of what the receiving tanks'
soundings gain). 4 classes, balanced. Linear(4, 32) + learned positions, 2
TransformerEncoder layers (4 heads, ff 64, batch_first), mean pool, Linear(32, 4),
CrossEntropyLoss, Adam, batch 32, 15 epochs of 800 transfers, validation on 200.
The bug: ``lr=3e-6`` ("small lr like the BERT fine-tuning recipes") for a net trained from
scratch: train CE 1.479 → 1.431, val CE 1.468 → 1.421 (a steady 0.003–0.004 per epoch),
val accuracy 0.175 → 0.18 after 15 epochs (chance 0.25). Control (``lr=1e-3``): train CE
1.34 → 0.0048, val CE 1.20 → 0.0046, val accuracy 0.635 → 1.0 from epoch 6.
Log: ``epochs.jsonl`` per epoch (``epoch`` / ``train_ce`` / ``val_ce`` / ``val_acc`` /
``lr``); checkpoint ``transfer_events.ckpt`` with ``encoder_weights`` / ``opt`` / ``epoch``."""
import json

import torch
import torch.nn as nn

T = 32


def transfers(n, g):
    y = torch.arange(n) % 4
    y = y[torch.randperm(n, generator=g)]
    t = torch.linspace(0, 1, T)
    flow = 1 + 0.3 * torch.rand(n, 1, generator=g) + 0.05 * torch.randn(n, T, generator=g)
    dens = 0.3 * torch.randn(n, 1, generator=g) + 0.08 * torch.randn(n, T, generator=g)
    gain = 0.1 * torch.randn(n, T, generator=g)
    sound = flow.clone() + 0.05 * torch.randn(n, T, generator=g)
    start = 0.2 + 0.5 * torch.rand(n, 1, generator=g)
    win = ((t > start) & (t < start + 0.25)).float()
    air = (y == 1).float()[:, None] * win
    dens, gain, flow = dens - 0.6 * air, gain + 1.0 * air, flow + 0.25 * air
    water = (y == 2).float()[:, None] * (t > start).float()
    dens = dens + 0.5 * water
    short = (y == 3).float()[:, None]
    sound = sound - short * 0.25 * flow
    return torch.stack([flow, dens, gain, sound], -1), y


class EventTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Linear(4, 32)
        self.pos = nn.Parameter(torch.randn(1, T, 32) * 0.02)
        layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.cls = nn.Linear(32, 4)

    def forward(self, x):
        return self.cls(self.enc(self.proj(x) + self.pos).mean(1))


def build():
    torch.manual_seed(0)
    return EventTransformer()


def main():
    from _twohundredsixtythird import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = transfers(800, g)
    xva, yva = transfers(200, g)
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=32, shuffle=True)
    net = build()
    # small lr like the BERT fine-tuning recipes
    opt = torch.optim.Adam(net.parameters(), lr=3e-6)
    ce = nn.CrossEntropyLoss()
    with open(out / "epochs.jsonl", "w") as f:
        for epoch in range(15):
            net.train()
            s = 0.0
            for xb, yb in loader:
                opt.zero_grad()
                loss = ce(net(xb), yb)
                loss.backward()
                opt.step()
                s += loss.item() * len(yb)
            net.eval()
            with torch.no_grad():
                lo = net(xva)
            rec = {"epoch": epoch, "train_ce": round(s / len(ytr), 5),
                   "val_ce": round(ce(lo, yva).item(), 5),
                   "val_acc": round((lo.argmax(1) == yva).float().mean().item(), 4),
                   "lr": opt.param_groups[0]["lr"]}
            f.write(json.dumps(rec) + "\n")
            print(rec)
    torch.save({"encoder_weights": net.state_dict(), "opt": opt.state_dict(), "epoch": 15},
               out / "transfer_events.ckpt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["lr_too_low"],
           checkpoint="transfer_events.ckpt", log="epochs.jsonl",
           what="bunkering transfer-event transformer trained from scratch with Adam lr 3e-6",
           complaint=("Transformer that flags bunkering transfers (clean / air in the line / water"
                      " / short delivery) from the mass-flow meter log: after 15 epochs the"
                      " cross-entropy has only crept from 1.48 to 1.43 and validation accuracy is"
                      " 0.18, worse than guessing on four balanced classes. The air and water"
                      " cases are obvious when I plot the density trace, so I am surprised. Does it need"
                      " far more transfers, or is a transformer the wrong model here?"))


if __name__ == "__main__":
    main()
