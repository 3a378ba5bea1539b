"""Plain torch: a small transformer encoder rates a snow bridge over a glacier crevasse for a
rope team from 16 pole soundings taken across it (per sounding: firn
resistance, depth to the first hard layer, snow temperature, distance from the lip). Three
guides each gave a rating (holds / doubtful / collapses); the target is the guides' vote
share, a soft 3-way distribution derived from a strength score (thickest continuous hard layer,
warm snow and soundings near the lips weaken it) with a temperature. Linear 4→32 per sounding +
learned positions, TransformerEncoder (2 layers, 4 heads, ff 64, batch_first), mean pool,
Linear 3; trained to match the vote shares with ``F.kl_div(..., reduction="batchmean")``.
AdamW 2e-3 with 30 warmup steps then constant, batch 64, 16 epochs of 1536 bridges, val 384.
The bug: the model output is turned into probabilities with ``F.softmax`` before ``F.kl_div``,
which expects log-probabilities as its input; the loss goes negative and keeps falling while
the predicted shares collapse onto one rating.
Control (``F.softmax(logits, -1)`` → ``F.log_softmax(logits, -1)`` by sed): see the README.
Log: a CSV per epoch (``epoch`` / ``kl`` / ``val_kl`` / ``val_top1``); checkpoint keys
``encoder`` / ``adamw`` / ``epoch`` / ``step``."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

N_SOUND = 16


def bridges(n, g):
    pos = torch.linspace(0, 1, N_SOUND)
    thick = 0.3 + 1.2 * torch.rand(n, 1, generator=g)
    sag = torch.rand(n, 1, generator=g)
    hard = (thick - sag * torch.sin(3.1416 * pos) + 0.1 * torch.randn(n, N_SOUND, generator=g))
    resist = hard.clamp(min=0) * 3 + 0.2 * torch.randn(n, N_SOUND, generator=g)
    depth = 1.5 - hard + 0.1 * torch.randn(n, N_SOUND, generator=g)
    temp = -8 * torch.rand(n, 1, generator=g) + 0.5 * torch.randn(n, N_SOUND, generator=g)
    lip = torch.minimum(pos, 1 - pos).expand(n, N_SOUND)
    strength = hard.min(1).values * 3 - 0.15 * (temp.mean(1) + 4)
    logits = torch.stack([2 * strength, torch.zeros(n), -2 * strength], 1)
    votes = F.softmax(logits / 0.8, 1)
    x = torch.stack([resist / 2, depth, temp / 4, lip * 2], -1)
    return x, votes


class BridgeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.inp = nn.Linear(4, 32)
        self.pos = nn.Parameter(torch.zeros(1, N_SOUND, 32))
        layer = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        return self.head(self.enc(self.inp(x) + self.pos).mean(1))


def build():
    torch.manual_seed(0)
    return BridgeNet()


def vote_loss(logits, votes):
    return F.kl_div(F.softmax(logits, -1), votes, reduction="batchmean")


def main():
    from _twohundredfiftyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = bridges(1536, g)
    xva, yva = bridges(384, g)
    print("vote share means", ytr.mean(0))
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / 30))
    step = 0
    with open(out / "bridge_metrics.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["epoch", "kl", "val_kl", "val_top1"])
        for epoch in range(16):
            model.train()
            total = 0.0
            for xb, yb in loader:
                opt.zero_grad()
                loss = vote_loss(model(xb), yb)
                loss.backward()
                opt.step()
                sched.step()
                step += 1
                total += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                lv = model(xva)
            row = [epoch, f"{total / len(ytr):.5f}", f"{vote_loss(lv, yva).item():.5f}",
                   f"{(lv.argmax(1) == yva.argmax(1)).float().mean().item():.4f}"]
            w.writerow(row)
            true_kl = F.kl_div(F.log_softmax(lv, -1), yva, reduction="batchmean").item()
            print(row, f"true KL {true_kl:.4f}", F.softmax(lv, -1).max(1).values.mean().item())
    torch.save({"encoder": model.state_dict(), "adamw": opt.state_dict(), "epoch": 16,
                "step": step}, out / "bridge_encoder.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["kl_div_wrong_inputs"],
           checkpoint="bridge_encoder.pt", log="bridge_metrics.csv",
           what="snow-bridge transformer trained with F.kl_div on softmax probabilities",
           complaint=("I'm training a small transformer to reproduce our guides' votes on snow bridge"
                      " soundings (hold / doubtful / collapse shares). The KL loss went negative"
                      " in the first epoch (-0.96) and sits at about -1.22, which I thought a KL"
                      " could never do. Top-1 agreement looks fine (~0.96), but the model says"
                      " 99 % for one rating on almost every bridge, even the borderline ones the"
                      " guides split on. What is going on?"))


if __name__ == "__main__":
    main()
